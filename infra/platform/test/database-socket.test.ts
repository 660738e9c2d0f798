// DATABASE_SOCKET_PATH on MariaDB: a subgraph's database reached through the server's Unix socket is the
// same database as over TCP, and the server sees the connection come from the socket (localhost), not TCP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Entity, PrimaryKey } from '@mikro-orm/core';
import { forkEntityManager, initDatabase, selectRows, type Database, type DatabaseSpec } from '../src';
import { createTestEnvironment, servicesUnderTest, type TestEnvironment } from '../src/testing';

@Entity({ tableName: 'socket_marks' })
class SocketMark {
  @PrimaryKey({ type: 'string', length: 20 }) mark!: string;
}

const SPEC: DatabaseSpec = { subgraph: 'socket_probe', entities: [SocketMark], migrations: [], messaging: false };

/** Where the server says this connection comes from: `localhost` for its socket, `host:port` (its name resolved) for TCP. */
async function connectionHost(orm: Database): Promise<string> {
  const [row] = await selectRows<{ host: string }>(
    forkEntityManager(orm),
    'select host from information_schema.processlist where id = connection_id()',
    [],
  );
  return row.host;
}

describe('a subgraph database through MariaDB’s Unix socket', { skip: servicesUnderTest(['MariaDB']) }, () => {
  let overTcp: TestEnvironment;
  let tcp: Database;
  let socketPath: string;

  before(async () => {
    overTcp = createTestEnvironment('mysql');
    tcp = await initDatabase(overTcp.config, SPEC);
    await tcp.getSchemaGenerator().updateSchema();
    const [row] = await selectRows<{ socket: string }>(forkEntityManager(tcp), 'select @@socket as socket', []);
    socketPath = row.socket;
  });
  after(async () => {
    await tcp?.close(true);
    await overTcp?.cleanup();
  });

  test('reaches the same database, from localhost instead of TCP', async (context) => {
    if (!fs.existsSync(socketPath)) return context.skip(`MariaDB's socket ${socketPath} is not on this machine`);
    assert.match(await connectionHost(tcp), /:\d+$/, "over TCP the server names the client's port");
    const throughSocket = await initDatabase(
      { ...overTcp.config, database: { ...overTcp.config.database, socketPath } },
      SPEC,
    );
    try {
      assert.equal(await connectionHost(throughSocket), 'localhost');
      await forkEntityManager(tcp).insert(SocketMark, { mark: 'over tcp' });
      const marks = await forkEntityManager(throughSocket).find(SocketMark, {});
      assert.deepEqual(
        marks.map((each) => each.mark),
        ['over tcp'],
      );
    } finally {
      await throughSocket.close(true);
    }
  });
});
