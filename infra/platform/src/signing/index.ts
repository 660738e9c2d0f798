import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * The signing primitives every wire protocol of the platform shares (the custodian bank's, the identity
 * provider's, the risk provider's): JSON travels as base64 of its UTF-8 text, signed RSA-SHA256 (PKCS#1
 * v1.5) over a protocol-specific text that includes the JSON, so each protocol decides what a signature binds.
 */

// Whole groups of four, padding only at the end: checked as length and one character class, because a
// pattern repeating a 4-character group overflows the regular expression stack on megabytes of photographs.
const BASE64_PATTERN = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]==|[A-Za-z0-9+/]{2}=)?$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Whether `text` is canonical, padded base64 (the empty string included). */
export function isCanonicalBase64(text: unknown): text is string {
  return typeof text === 'string' && text.length % 4 === 0 && BASE64_PATTERN.test(text);
}

/** base64 of the UTF-8 bytes of a JSON text. */
export function encodeData(json: string): string {
  return Buffer.from(json, 'utf8').toString('base64');
}

/** The JSON text inside canonical base64, or null when the base64 or the UTF-8 is malformed. */
export function decodeData(base64: string): string | null {
  if (!isCanonicalBase64(base64)) return null;
  try {
    return UTF8.decode(Buffer.from(base64, 'base64'));
  } catch {
    return null;
  }
}

const keyCache = new Map<string, KeyObject>();

function keyOf(pem: string, kind: 'private' | 'public'): KeyObject {
  const cacheKey = `${kind}:${pem}`;
  let key = keyCache.get(cacheKey);
  if (key === undefined) {
    key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
    // A handful of keys per process (bank, providers, platform, tests); the bound is only a guard.
    if (keyCache.size > 64) keyCache.clear();
    keyCache.set(cacheKey, key);
  }
  return key;
}

/** base64 RSA-SHA256 (PKCS#1 v1.5) of the UTF-8 bytes of `json`. */
export function signJson(json: string, privateKeyPem: string): string {
  return sign('sha256', Buffer.from(json, 'utf8'), keyOf(privateKeyPem, 'private')).toString('base64');
}

/** Whether `signature` is the RSA-SHA256 of exactly `json` by the holder of `publicKeyPem`; never throws. */
export function verifyJson(json: string, signature: string, publicKeyPem: string): boolean {
  if (!isCanonicalBase64(signature) || signature.length === 0) return false;
  try {
    return verify('sha256', Buffer.from(json, 'utf8'), keyOf(publicKeyPem, 'public'), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
