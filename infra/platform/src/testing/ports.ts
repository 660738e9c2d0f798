import net from 'node:net';

/** Ports this process handed out: the OS may offer a port again once its probe closed, before its service binds. */
const issuedPorts = new Set<number>();
/** Draws before giving up; the ephemeral range holds ~14,000 candidates for a bind, so a few suffice. */
const DRAWS_MAX = 100;

function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A TCP port free on 127.0.0.1 now, for a service that must know its own address before it starts;
 * never one handed out before in this process, so the services of one platform never share a port.
 */
export async function freePort(): Promise<number> {
  for (let draw = 0; draw < DRAWS_MAX; draw++) {
    const port = await probePort();
    if (issuedPorts.has(port)) continue;
    issuedPorts.add(port);
    return port;
  }
  throw new Error(`no port not handed out before after ${DRAWS_MAX} draws`);
}
