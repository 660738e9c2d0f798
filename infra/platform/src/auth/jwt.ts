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
/** Our claim for the issuing instant in milliseconds (VerifiedToken.issuedAtMs). */
const ISSUED_AT_MS_CLAIM = 'iat_ms';
const AUDIENCE = 'wanxin';

/**
 * A token that passed every check, with when it was issued to the millisecond: a revocation refuses the
 * tokens issued at or before its instant (auth/revocations.ts), and `iat` counts whole seconds only, which
 * would refuse a token signed in the same second right after an account was enabled again.
 */
export interface VerifiedToken {
  viewer: Viewer;
  issuedAtMs: number;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export function issueToken(viewer: Viewer, privateKeyPem: string, ttlSeconds: number, now = new Date()): IssuedToken {
  assert(ROLES.includes(viewer.role), `unknown role ${viewer.role}`);
  assert(ttlSeconds > 0, 'token lifetime must be positive');
  const issuedAtSeconds = Math.floor(now.getTime() / 1000);
  const claims = { role: viewer.role, iat: issuedAtSeconds, [ISSUED_AT_MS_CLAIM]: now.getTime() };
  const token = jwt.sign(claims, privateKeyPem, {
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
  return readToken(token, publicKeyPem).viewer;
}

/** verifyToken, with when the token was issued. */
export function readToken(token: string, publicKeyPem: string): VerifiedToken {
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
  return { viewer: { id: claims.sub, role: claims.role as Role }, issuedAtMs: issuedAtMsOf(claims) };
}

/**
 * The issuing instant: our millisecond claim, else (a token from before it existed, or without `iat`) the
 * last millisecond of its `iat` second, or 0 — the latest it may have been, so a revocation errs on refusing.
 */
function issuedAtMsOf(claims: jwt.JwtPayload): number {
  const milliseconds: unknown = claims[ISSUED_AT_MS_CLAIM];
  if (typeof milliseconds === 'number' && Number.isSafeInteger(milliseconds)) return milliseconds;
  return typeof claims.iat === 'number' ? claims.iat * 1000 + 999 : 0;
}

/** Reads `Authorization: Bearer <jwt>`. No header means an anonymous viewer; a bad one is an error. */
export function viewerFromAuthorization(header: string | undefined, publicKeyPem: string): Viewer | null {
  return tokenFromAuthorization(header, publicKeyPem)?.viewer ?? null;
}

/** viewerFromAuthorization, with when the token was issued; null without a header. */
export function tokenFromAuthorization(header: string | undefined, publicKeyPem: string): VerifiedToken | null {
  if (header === undefined || header === '') return null;
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header);
  if (!match) throw CommonErrors.tokenRefused('Authorization must be "Bearer <token>"');
  return readToken(match[1], publicKeyPem);
}
