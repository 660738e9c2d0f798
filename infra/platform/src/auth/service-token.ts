import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The header that carries the service token on internal (service-to-service) calls. */
export const SERVICE_TOKEN_HEADER = 'x-wanxin-service-token';

/**
 * The secret shared by services for internal APIs that the gateway never exposes. Production sets it
 * (`INTERNAL_API_SECRET`); in development one is generated once under `<dataDir>/keys` (atomically,
 * like the key pairs) and shared by every service on the machine.
 */
export function resolveServiceSecret(dataDir: string, configured: string | undefined): string {
  if (configured !== undefined) return configured;
  const directory = path.join(dataDir, 'keys');
  const file = path.join(directory, 'internal-api.secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(directory, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** Compares a presented token with the secret in constant time. */
export function isServiceToken(presented: string | string[] | undefined, secret: string): boolean {
  if (typeof presented !== 'string') return false;
  const given = Buffer.from(presented);
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
