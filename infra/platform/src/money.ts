import { assert } from './assert';
import { echoInput } from './errors';

/** Largest amount the platform accepts: 9,999,999,999.99 yuan, in fen. */
export const MONEY_MAX_FEN = 999_999_999_999n;
/** A rate is stored as an integer of millionths: "0.15" is 150_000. */
export const RATE_SCALE_MICROS = 1_000_000;
/** Rates above 100 % a year are refused outright. */
export const RATE_MAX_MICROS = RATE_SCALE_MICROS;

export class MoneyFormatError extends Error {
  override name = 'MoneyFormatError';
}

// No sign, no exponent, no leading zeros, no spaces; at most ten integer digits and two decimals.
const MONEY_PATTERN = /^(0|[1-9][0-9]{0,9})(?:\.([0-9]{1,2}))?$/;
// At most six decimals: a rate is stored in millionths and nothing may be rounded away.
const RATE_PATTERN = /^(0|[1-9][0-9]?)(?:\.([0-9]{1,6}))?$/;

/** Parses a yuan amount written as a decimal string ("1234.5") into fen. Throws on any other form. */
export function parseMoney(text: string): bigint {
  if (typeof text !== 'string') throw new MoneyFormatError('an amount must be a string such as "1000.00"');
  const match = MONEY_PATTERN.exec(text);
  if (!match) throw new MoneyFormatError(`${echoInput(text)} is not an amount: use digits with at most two decimals`);
  const fen = BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  if (fen > MONEY_MAX_FEN) throw new MoneyFormatError(`${echoInput(text)} is above the maximum 9999999999.99`);
  return fen;
}

/** Formats fen as a decimal yuan string with exactly two decimals. */
export function formatMoney(amountFen: bigint): string {
  assert(typeof amountFen === 'bigint', `money must be bigint fen, got ${typeof amountFen}`);
  const sign = amountFen < 0n ? '-' : '';
  const absolute = amountFen < 0n ? -amountFen : amountFen;
  return `${sign}${absolute / 100n}.${(absolute % 100n).toString().padStart(2, '0')}`;
}

/** Parses a rate written as a decimal fraction ("0.15") into millionths. */
export function parseRate(text: string): number {
  if (typeof text !== 'string') throw new MoneyFormatError('a rate must be a string such as "0.15"');
  const match = RATE_PATTERN.exec(text);
  if (!match) throw new MoneyFormatError(`${echoInput(text)} is not a rate: use a decimal fraction such as "0.15"`);
  const micros = Number(match[1]) * RATE_SCALE_MICROS + Number((match[2] ?? '').padEnd(6, '0'));
  if (micros > RATE_MAX_MICROS) throw new MoneyFormatError(`${echoInput(text)} is above the maximum rate 1`);
  return micros;
}

/** Formats millionths as a decimal fraction with at least two decimals ("0.10", "0.0005"). */
export function formatRate(rateMicros: number): string {
  assert(Number.isSafeInteger(rateMicros) && rateMicros >= 0, `rate must be whole micros, got ${rateMicros}`);
  const whole = Math.floor(rateMicros / RATE_SCALE_MICROS);
  const fraction = (rateMicros % RATE_SCALE_MICROS).toString().padStart(6, '0').replace(/0+$/, '');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

/** Integer division rounding half up, for non-negative operands: the platform's only rounding rule. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  assert(numerator >= 0n, `numerator must not be negative, got ${numerator}`);
  assert(denominator > 0n, `denominator must be positive, got ${denominator}`);
  return (numerator * 2n + denominator) / (denominator * 2n);
}
