import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PlatformConfig } from '../config';

export interface JwtKeys {
  /** Only the users subgraph signs; everyone else verifies. */
  privateKeyPem: string | undefined;
  publicKeyPem: string;
}

/**
 * Production keys come from the environment. In development a key pair is generated once under
 * `<dataDir>/keys` and shared by every service on the machine; creation is atomic (write then link),
 * so several services starting together all end up with the same pair.
 */
export function resolveJwtKeys(config: PlatformConfig): JwtKeys {
  const { privateKeyPem, publicKeyPem } = config.jwt;
  if (publicKeyPem !== undefined) return { privateKeyPem, publicKeyPem };
  const directory = path.join(config.dataDir, 'keys');
  const privatePath = path.join(directory, 'jwt-private.pem');
  const publicPath = path.join(directory, 'jwt-public.pem');
  if (!fs.existsSync(publicPath)) createDevelopmentKeys(directory, privatePath, publicPath);
  return { privateKeyPem: fs.readFileSync(privatePath, 'utf8'), publicKeyPem: fs.readFileSync(publicPath, 'utf8') };
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
