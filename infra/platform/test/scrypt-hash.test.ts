// The platform's one scrypt hasher (users' login passwords, the bank's trade passwords): hashes stored by the
// code each package had before still verify, new ones keep the `scrypt$N$r$p$salt$hash` format, and a stored
// hash cannot ask for parameters beyond the bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashSecret, verifySecret } from '../src';

/** Produced by users' own hashPassword before the platform owned the hasher (64-byte key). */
const OLD_LOGIN_HASH =
  'scrypt$16384$8$1$w5MfgaUmZ/vZSZmlc3RaWA==$cDIiH7pyIGZTzlpSKS6HcZa9kEsOtf9IZYWHq9cOMa0bdfdSDo3P5mIfANfozmSAC1Fbv1EXG' +
  'JIrnjNzeFvl7g==';
/** Produced by the bank simulator's own hashTradePassword before the platform owned the hasher (32-byte key). */
const OLD_TRADE_HASH = 'scrypt$16384$8$1$sJh6wXkLmi2eAJ3HEMUwJg==$ylgBpG+0DCDpOBNXeuf3HrSKe3H1ie9gdzsSE6JdbnY=';

test('hashes stored by the old users and bank code verify their secret and nothing else', async () => {
  assert.equal(await verifySecret('Login-pass-1', OLD_LOGIN_HASH), true);
  assert.equal(await verifySecret('Login-pass-2', OLD_LOGIN_HASH), false);
  assert.equal(await verifySecret('9Trade.58', OLD_TRADE_HASH), true);
  assert.equal(await verifySecret('9Trade.59', OLD_TRADE_HASH), false);
});

test('a new hash has the stored format, the asked key length and its own salt', async () => {
  const first = await hashSecret('pässword-1', 32);
  const second = await hashSecret('pässword-1', 32);
  assert.match(first, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
  assert.notEqual(first, second);
  assert.equal(await verifySecret('pässword-1', first), true);
  assert.equal(await verifySecret('pa\u0308ssword-1', first), true, 'the secret is NFKC-normalized');
  assert.equal((await hashSecret('x', 64)).split('$')[5].length, 88);
});

test('a stored hash of another format or with parameters out of bounds is refused, not verified', async () => {
  const [, , , , salt, key] = OLD_TRADE_HASH.split('$');
  await assert.rejects(verifySecret('9Trade.58', `bcrypt$${salt}$${key}`), /unknown format/);
  await assert.rejects(verifySecret('9Trade.58', `scrypt$1073741824$8$1$${salt}$${key}`), /power of two within/);
  await assert.rejects(verifySecret('9Trade.58', `scrypt$16383$8$1$${salt}$${key}`), /power of two within/);
  await assert.rejects(verifySecret('9Trade.58', `scrypt$16384$64$1$${salt}$${key}`), /r or p out of bounds/);
  await assert.rejects(verifySecret('9Trade.58', `scrypt$16384$8$1$${salt}$`), /key length/);
  await assert.rejects(hashSecret('x', 4096), /key length/);
});
