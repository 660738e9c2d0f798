// Proves RS256 tokens: a valid token yields its viewer; expired, wrong-key, tampered, malformed and
// wrong-algorithm tokens are UNAUTHENTICATED; the guards turn roles and ownership into the contract codes; a
// token carries its issuing instant to the millisecond, which a revocation compares (at or before: refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  isClientError,
  issueToken,
  isTokenRevoked,
  readToken,
  requireOwnerOrAdmin,
  requireRole,
  verifyToken,
  viewerFromAuthorization,
} from '../src';

function keyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}
const keys = keyPair();
const otherKeys = keyPair();
const viewer = { id: '0193a000-0000-7000-8000-000000000001', role: 'INVESTOR' as const };
const isUnauthenticated = (error: unknown) => isClientError(error, 'UNAUTHENTICATED');

/**
 * A token made by hand, not by issueToken: the platform's issuer and audience, no expiry, `claims` signed
 * with `key` by `algorithm`, for `subject` (none when null).
 */
function handMadeToken(
  claims: object,
  key: string,
  algorithm: jwt.Algorithm,
  subject: string | null = viewer.id,
): string {
  const subjectOption = subject === null ? {} : { subject };
  return jwt.sign(claims, key, { algorithm, issuer: 'wanxin', audience: 'wanxin', ...subjectOption });
}

test('a fresh token verifies to its viewer', () => {
  const { token, expiresAt } = issueToken(viewer, keys.privateKey, 60);
  assert.deepEqual(verifyToken(token, keys.publicKey), viewer);
  assert.ok(expiresAt.getTime() > Date.now());
  assert.deepEqual(viewerFromAuthorization(`Bearer ${token}`, keys.publicKey), viewer);
  assert.equal(viewerFromAuthorization(undefined, keys.publicKey), null);
});

test('an expired token is refused', () => {
  const { token } = issueToken(viewer, keys.privateKey, 60, new Date(Date.now() - 120_000));
  assert.throws(
    () => verifyToken(token, keys.publicKey),
    (error: unknown) => isUnauthenticated(error) && /expired/.test((error as Error).message),
  );
});

test('a properly signed token without exp is refused: it would never stop working', () => {
  const forever = handMadeToken({ role: 'ADMIN' }, keys.privateKey, 'RS256');
  assert.throws(
    () => verifyToken(forever, keys.publicKey),
    (error: unknown) => isUnauthenticated(error) && /expiry/.test((error as Error).message),
  );
  assert.throws(() => viewerFromAuthorization(`Bearer ${forever}`, keys.publicKey), isUnauthenticated);
});

test('a token signed with another key is refused', () => {
  const { token } = issueToken(viewer, otherKeys.privateKey, 60);
  assert.throws(() => verifyToken(token, keys.publicKey), isUnauthenticated);
});

test('a tampered token is refused', () => {
  const { token } = issueToken(viewer, keys.privateKey, 60);
  const [header, , signature] = token.split('.');
  const payload = Buffer.from(
    JSON.stringify({ role: 'ADMIN', sub: viewer.id, iss: 'wanxin', aud: 'wanxin', exp: 9999999999 }),
  ).toString('base64url');
  assert.throws(() => verifyToken(`${header}.${payload}.${signature}`, keys.publicKey), isUnauthenticated);
});

test('HS256 and unsigned tokens are refused, whatever they claim', () => {
  // HS256 keyed with the public key: what a verifier that trusted the header's algorithm would accept.
  const hs = handMadeToken({ role: 'ADMIN' }, keys.publicKey, 'HS256');
  assert.throws(() => verifyToken(hs, keys.publicKey), isUnauthenticated);
  const none = handMadeToken({ role: 'ADMIN' }, '', 'none');
  assert.throws(() => verifyToken(none, keys.publicKey), isUnauthenticated);
});

test('a token with an unknown role or no subject is refused', () => {
  const noRole = handMadeToken({ role: 'ROOT' }, keys.privateKey, 'RS256');
  assert.throws(() => verifyToken(noRole, keys.publicKey), isUnauthenticated);
  const noSubject = handMadeToken({ role: 'ADMIN' }, keys.privateKey, 'RS256', null);
  assert.throws(() => verifyToken(noSubject, keys.publicKey), isUnauthenticated);
});

test('a malformed Authorization header is refused', () => {
  for (const header of ['token', 'Bearer', 'Bearer a.b', 'Basic dXNlcjpwYXNz', 'bearer x.y.z x']) {
    assert.throws(() => viewerFromAuthorization(header, keys.publicKey), isUnauthenticated, header);
  }
});

test('guards: wrong role is FORBIDDEN, nobody is UNAUTHENTICATED, owners and admins pass', () => {
  assert.throws(() => requireRole({ viewer: null }, ['ADMIN']), isUnauthenticated);
  assert.throws(
    () => requireRole({ viewer }, ['ADMIN']),
    (error: unknown) => isClientError(error, 'FORBIDDEN'),
  );
  assert.deepEqual(requireRole({ viewer }, ['INVESTOR']), viewer);
  assert.deepEqual(requireOwnerOrAdmin({ viewer }, viewer.id, 'x'), viewer);
  const admin = { id: 'a', role: 'ADMIN' as const };
  assert.deepEqual(requireOwnerOrAdmin({ viewer: admin }, viewer.id, 'x'), admin);
  assert.throws(
    () => requireOwnerOrAdmin({ viewer: { ...viewer, id: 'someone-else' } }, viewer.id, 'x'),
    (error: unknown) => isClientError(error, 'FORBIDDEN'),
  );
});

test('a token carries its issuing instant in milliseconds; a revocation refuses those issued at or before it', () => {
  const issuedAt = new Date('2026-12-05T10:00:00.123Z');
  const token = readToken(issueToken(viewer, keys.privateKey, 3600, new Date()).token, keys.publicKey);
  assert.ok(Math.abs(token.issuedAtMs - Date.now()) < 60_000);
  const exact = readToken(issueToken(viewer, keys.privateKey, 10 * 365 * 86_400, issuedAt).token, keys.publicKey);
  assert.deepEqual(exact, { viewer, issuedAtMs: issuedAt.getTime() });
  assert.equal(isTokenRevoked(exact, null), false);
  assert.equal(isTokenRevoked(exact, new Date(issuedAt.getTime() - 1)), false);
  assert.equal(isTokenRevoked(exact, issuedAt), true);
  assert.equal(isTokenRevoked(exact, new Date(issuedAt.getTime() + 1)), true);
  // A token from before the millisecond claim counts as issued at the end of its `iat` second.
  const legacy = jwt.sign({ role: viewer.role, iat: 1_800_000_000 }, keys.privateKey, {
    algorithm: 'RS256',
    subject: viewer.id,
    issuer: 'wanxin',
    audience: 'wanxin',
    expiresIn: 10 * 365 * 86_400,
  });
  assert.equal(readToken(legacy, keys.publicKey).issuedAtMs, 1_800_000_000_999);
});
