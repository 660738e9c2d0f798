import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { assert } from './assert';

/**
 * Secrets (login passwords in users, trade passwords at the bank simulator) stored as
 * `scrypt$N$r$p$salt$hash` (salt and hash base64). The parameters travel in the hash so they can be raised
 * later without breaking old hashes; the key length is the stored hash's own length, since users keeps
 * 64 bytes and the bank 32.
 */
export interface ScryptParameters {
  /** CPU/memory cost N, a power of two. */
  costN: number;
  /** Block size r. */
  blockSizeR: number;
  /** Parallelism p. */
  parallelismP: number;
}

/** 2^14 × 8 × 128 bytes = 16 MiB per hash, about 50 ms on one core. */
export const SCRYPT_DEFAULT_PARAMETERS: ScryptParameters = { costN: 16384, blockSizeR: 8, parallelismP: 1 };
export const SCRYPT_SALT_BYTES = 16;

/**
 * What a stored hash may ask for: a hash read from a database is input too, and unbounded parameters would
 * let one row cost gigabytes or minutes.
 */
const BOUNDS = {
  costN: { min: 2 ** 10, max: 2 ** 20 },
  blockSizeR: { min: 1, max: 32 },
  parallelismP: { min: 1, max: 16 },
  keyBytes: { min: 16, max: 128 },
} as const;
/** Memory one derivation may take: 128 × N × r at the bounds, with room for Node's own bookkeeping. */
const SCRYPT_MAX_MEMORY_BYTES = 128 * BOUNDS.costN.max * 8 * 2;

function within(name: keyof typeof BOUNDS, value: number): boolean {
  return Number.isSafeInteger(value) && value >= BOUNDS[name].min && value <= BOUNDS[name].max;
}

function checkParameters(parameters: ScryptParameters, keyBytes: number): void {
  const { costN, blockSizeR, parallelismP } = parameters;
  assert(within('costN', costN) && (costN & (costN - 1)) === 0, 'scrypt N must be a power of two within bounds');
  assert(within('blockSizeR', blockSizeR) && within('parallelismP', parallelismP), 'scrypt r or p out of bounds');
  assert(128 * costN * blockSizeR <= SCRYPT_MAX_MEMORY_BYTES, 'scrypt N × r needs too much memory');
  assert(within('keyBytes', keyBytes), 'scrypt key length out of bounds');
}

function derive(secret: string, salt: Buffer, parameters: ScryptParameters, keyBytes: number): Promise<Buffer> {
  checkParameters(parameters, keyBytes);
  const options = {
    N: parameters.costN,
    r: parameters.blockSizeR,
    p: parameters.parallelismP,
    maxmem: SCRYPT_MAX_MEMORY_BYTES,
  };
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFKC'), salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** A fresh salted hash of `secret` (NFKC-normalized) with a `keyBytes`-long key. */
export async function hashSecret(
  secret: string,
  keyBytes: number,
  parameters: ScryptParameters = SCRYPT_DEFAULT_PARAMETERS,
): Promise<string> {
  const salt = randomBytes(SCRYPT_SALT_BYTES);
  const key = await derive(secret, salt, parameters, keyBytes);
  const { costN, blockSizeR, parallelismP } = parameters;
  return ['scrypt', costN, blockSizeR, parallelismP, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Whether `secret` matches `stored`, compared in constant time. A stored hash in another format, or with
 * parameters out of bounds, is a fault of the store, not a wrong secret: it throws.
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  assert(parts.length === 6 && parts[0] === 'scrypt', 'stored secret hash has an unknown format');
  const [, costN, blockSizeR, parallelismP, saltText, keyText] = parts;
  const expected = Buffer.from(keyText, 'base64');
  const parameters = { costN: Number(costN), blockSizeR: Number(blockSizeR), parallelismP: Number(parallelismP) };
  const actual = await derive(secret, Buffer.from(saltText, 'base64'), parameters, expected.length);
  return timingSafeEqual(actual, expected);
}
