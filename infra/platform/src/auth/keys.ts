import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PlatformConfig } from '../config';

/** An RSA key pair; a service that only verifies may lack the private half. */
export interface KeyPair {
  privateKeyPem: string | undefined;
  publicKeyPem: string;
}

/** Only the users subgraph signs tokens; everyone else verifies. */
export type JwtKeys = KeyPair;

/**
 * Production keys come from the environment (`configured`). In development a pair named `name` is
 * generated once under `<dataDir>/keys` and shared by every service on the machine; creation is atomic
 * (write then link), so several services starting together all end up with the same pair.
 */
export function resolveKeyPair(dataDir: string, name: string, configured: Partial<KeyPair>): KeyPair {
  if (configured.publicKeyPem !== undefined)
    return { privateKeyPem: configured.privateKeyPem, publicKeyPem: configured.publicKeyPem };
  const directory = path.join(dataDir, 'keys');
  const privatePath = path.join(directory, `${name}-private.pem`);
  const publicPath = path.join(directory, `${name}-public.pem`);
  if (!fs.existsSync(publicPath)) createDevelopmentKeys(directory, privatePath, publicPath);
  return { privateKeyPem: fs.readFileSync(privatePath, 'utf8'), publicKeyPem: fs.readFileSync(publicPath, 'utf8') };
}

export function resolveJwtKeys(config: PlatformConfig): JwtKeys {
  return resolveKeyPair(config.dataDir, 'jwt', config.jwt);
}

function createDevelopmentKeys(directory: string, privatePath: string, publicPath: string): void {
  fs.mkdirSync(directory, { recursive: true });
  const pair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const staging = fs.mkdtempSync(path.join(directory, 'staging-'));
  try {
    fs.writeFileSync(path.join(staging, 'private.pem'), pair.privateKey, { mode: 0o600 });
    fs.writeFileSync(path.join(staging, 'public.pem'), pair.publicKey);
    // The private key is linked first: whoever links the public key last wins, and a process that
    // finds the public key knows its private twin is already in place.
    linkUnlessExists(path.join(staging, 'private.pem'), privatePath);
    if (fs.readFileSync(privatePath, 'utf8') === pair.privateKey) {
      linkUnlessExists(path.join(staging, 'public.pem'), publicPath);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function linkUnlessExists(source: string, target: string): void {
  try {
    fs.linkSync(source, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
