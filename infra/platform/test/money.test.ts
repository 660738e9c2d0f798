// Proves the Money and Rate formats of architecture.md §3: every bad form is refused, every good one
// round-trips exactly up to 9,999,999,999.99, and rounding is half-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError, Kind } from 'graphql';
import {
  divideRoundHalfUp,
  formatMoney,
  formatRate,
  MONEY_MAX_FEN,
  MoneyFormatError,
  MoneyScalar,
  parseMoney,
  parseRate,
  RateScalar,
} from '../src';

test('parses decimal yuan strings into fen', () => {
  assert.equal(parseMoney('0'), 0n);
  assert.equal(parseMoney('0.5'), 50n);
  assert.equal(parseMoney('1234.5'), 123450n);
  assert.equal(parseMoney('1234.56'), 123456n);
  assert.equal(parseMoney('9999999999.99'), MONEY_MAX_FEN);
});

test('refuses every malformed, negative or oversized amount', () => {
  const bad = [
    '',
    ' 1',
    '1 ',
    '-1',
    '+1',
    '-0.01',
    '1.234',
    '1.',
    '.5',
    '01',
    '00.10',
    '1e3',
    '1E3',
    '0x10',
    '1,000',
    '10000000000',
    '10000000000.00',
    '9999999999.999',
    'NaN',
    'Infinity',
    '１２',
    '1_000',
    '12.3.4',
  ];
  for (const text of bad) assert.throws(() => parseMoney(text), MoneyFormatError, `accepted "${text}"`);
  assert.throws(() => parseMoney(12 as unknown as string), MoneyFormatError);
});

test('formats fen with exactly two decimals', () => {
  assert.equal(formatMoney(0n), '0.00');
  assert.equal(formatMoney(5n), '0.05');
  assert.equal(formatMoney(123450n), '1234.50');
  assert.equal(formatMoney(-5n), '-0.05');
  assert.throws(() => formatMoney(1 as unknown as bigint));
});

test('round-trips exactly across the whole range', () => {
  const samples = [0n, 1n, 99n, 100n, 101n, 999_999n, 2n ** 38n, MONEY_MAX_FEN - 1n, MONEY_MAX_FEN];
  for (let step = 0n; step < 2000n; step += 1n) samples.push((MONEY_MAX_FEN * step) / 1999n);
  for (const fen of samples) assert.equal(parseMoney(formatMoney(fen)), fen);
});

test('Money scalar accepts strings only, as variables and as literals', () => {
  assert.equal(MoneyScalar.parseValue('10.00'), 1000n);
  assert.equal(MoneyScalar.serialize(1000n), '10.00');
  for (const value of [10, 10.5, null, {}, '1.001', '-1']) {
    assert.throws(
      () => MoneyScalar.parseValue(value),
      (error: unknown) => error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT',
    );
  }
  assert.equal(MoneyScalar.parseLiteral({ kind: Kind.STRING, value: '7.5' }, {}), 750n);
  assert.throws(() => MoneyScalar.parseLiteral({ kind: Kind.INT, value: '7' }, {}), GraphQLError);
  assert.throws(() => MoneyScalar.parseLiteral({ kind: Kind.FLOAT, value: '7.5' }, {}), GraphQLError);
  assert.throws(() => MoneyScalar.serialize(7.5));
});

test('rates are decimal fractions stored in millionths', () => {
  assert.equal(parseRate('0.15'), 150_000);
  assert.equal(parseRate('0.1'), 100_000);
  assert.equal(parseRate('0.0005'), 500);
  assert.equal(parseRate('1'), 1_000_000);
  assert.equal(parseRate('0.123456'), 123_456);
  for (const text of ['', '-0.1', '1.01', '2', '0.1234567', '15%', '.15', '0.15 ', '1e-1', '00.1']) {
    assert.throws(() => parseRate(text), MoneyFormatError, `accepted "${text}"`);
  }
  assert.equal(formatRate(150_000), '0.15');
  assert.equal(formatRate(100_000), '0.10');
  assert.equal(formatRate(500), '0.0005');
  assert.equal(formatRate(1_000_000), '1.00');
  for (const micros of [0, 1, 500, 99_999, 150_000, 123_456, 1_000_000])
    assert.equal(parseRate(formatRate(micros)), micros);
  assert.throws(() => RateScalar.parseValue(0.15), GraphQLError);
});

test('rounds half up and never on a negative or zero denominator', () => {
  assert.equal(divideRoundHalfUp(5n, 10n), 1n);
  assert.equal(divideRoundHalfUp(4n, 10n), 0n);
  assert.equal(divideRoundHalfUp(15n, 10n), 2n);
  assert.equal(divideRoundHalfUp(25n, 10n), 3n);
  assert.equal(divideRoundHalfUp(0n, 7n), 0n);
  assert.throws(() => divideRoundHalfUp(1n, 0n));
  assert.throws(() => divideRoundHalfUp(-1n, 3n));
});
