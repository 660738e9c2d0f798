import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { assert } from '../assert';
import { CommonErrors } from '../errors';

export const ROLES = ['BORROWER', 'INVESTOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: the signed-in user, or nobody. */
export interface Viewer {
  id: string;
  role: Role;
}

const ISSUER = 'wanxin';
const AUDIENCE = 'wanxin';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export function issueToken(viewer: Viewer, privateKeyPem: string, ttlSeconds: number, now = new Date()): IssuedToken {
  assert(ROLES.includes(viewer.role), `unknown role ${viewer.role}`);
  assert(ttlSeconds > 0, 'token lifetime must be positive');
  const issuedAtSeconds = Math.floor(now.getTime() / 1000);
  const token = jwt.sign({ role: viewer.role, iat: issuedAtSeconds }, privateKeyPem, {
    algorithm: 'RS256',
    subject: viewer.id,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: ttlSeconds,
  });
  return { token, expiresAt: new Date((issuedAtSeconds + ttlSeconds) * 1000) };
}

/** Parsed keys kept at once: one per deployment, two while keys rotate; more means something is wrong. */
const PUBLIC_KEYS_MAX = 8;
const publicKeys = new Map<string, KeyObject>();

/**
 * The parsed key of a PEM: given the PEM text, jsonwebtoken parses it again on every verify, which was
 * most of what checking a token cost (a fifth of the gateway's CPU under a load of bids).
 */
function publicKeyOf(publicKeyPem: string): KeyObject {
  let key = publicKeys.get(publicKeyPem);
  if (key === undefined) {
    key = createPublicKey(publicKeyPem);
    if (publicKeys.size >= PUBLIC_KEYS_MAX) publicKeys.clear();
    publicKeys.set(publicKeyPem, key);
  }
  return key;
}

/** Verifies an RS256 token; anything wrong with it (expiry or none, key, tampering, shape) is UNAUTHENTICATED. */
export function verifyToken(token: string, publicKeyPem: string): Viewer {
  let claims: jwt.JwtPayload | string;
  try {
    claims = jwt.verify(token, publicKeyOf(publicKeyPem), {
      algorithms: ['RS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
  } catch (error) {
    const reason = error instanceof jwt.TokenExpiredError ? 'token expired' : 'invalid token';
    throw CommonErrors.tokenRefused(reason);
  }
  if (typeof claims === 'string' || typeof claims.sub !== 'string' || !ROLES.includes(claims.role)) {
    throw CommonErrors.tokenRefused('invalid token claims');
  }
  // jsonwebtoken accepts a token without `exp` as valid forever: one leaked would never stop working.
  if (typeof claims.exp !== 'number') throw CommonErrors.tokenRefused('token without expiry');
  return { id: claims.sub, role: claims.role as Role };
}

/** Reads `Authorization: Bearer <jwt>`. No header means an anonymous viewer; a bad one is an error. */
export function viewerFromAuthorization(header: string | undefined, publicKeyPem: string): Viewer | null {
  if (header === undefined || header === '') return null;
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header);
  if (!match) throw CommonErrors.tokenRefused('Authorization must be "Bearer <token>"');
  return verifyToken(match[1], publicKeyPem);
}
