import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { assert } from './assert';
import { clientError, echoInput } from './errors';
import { formatMoney, formatRate, MoneyFormatError, parseMoney, parseRate } from './money';

function badInput(scalar: string, reason: string) {
  return clientError('BAD_USER_INPUT', `${scalar}: ${reason}`, { scalar });
}

/** Builds a scalar that only accepts strings, both as variables and as literals. */
function stringScalar<T>(options: {
  name: string;
  description: string;
  parse: (text: string) => T;
  serialize: (value: T) => string;
  isValue: (value: unknown) => value is T;
}): GraphQLScalarType<T, string> {
  const parseText = (value: unknown): T => {
    if (typeof value !== 'string') throw badInput(options.name, `expected a string, got ${typeof value}`);
    try {
      return options.parse(value);
    } catch (error) {
      if (error instanceof MoneyFormatError || error instanceof RangeError) throw badInput(options.name, error.message);
      throw error;
    }
  };
  return new GraphQLScalarType<T, string>({
    name: options.name,
    description: options.description,
    serialize(value) {
      assert(options.isValue(value), `${options.name} cannot serialize ${typeof value}`);
      return options.serialize(value);
    },
    parseValue: parseText,
    parseLiteral(ast: ValueNode) {
      if (ast.kind !== Kind.STRING) throw badInput(options.name, `expected a string literal, got ${ast.kind}`);
      return parseText(ast.value);
    },
  });
}

/** Yuan as a decimal string with two decimals ("1234.50"); bigint fen inside. */
export const MoneyScalar = stringScalar<bigint>({
  name: 'Money',
  description: 'An amount of yuan as a decimal string, e.g. "1234.50": at most two decimals, 0 to 9999999999.99.',
  parse: parseMoney,
  serialize: formatMoney,
  isValue: (value): value is bigint => typeof value === 'bigint',
});

/** An annual rate as a decimal fraction string ("0.15"); integer millionths inside. */
export const RateScalar = stringScalar<number>({
  name: 'Rate',
  description: 'A rate as a decimal fraction string, e.g. "0.15" for 15 %: at most six decimals, 0 to 1.',
  parse: parseRate,
  serialize: formatRate,
  isValue: (value): value is number => Number.isSafeInteger(value),
});

const DATE_PATTERN = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
/**
 * Years a date or date-time may name. Dates far from today are mistakes, and schedules add up to 360
 * months to a start date: past year 9999 a date no longer has four digits.
 */
export const YEAR_MIN = 1900;
export const YEAR_MAX = 2999;

function checkYear(text: string, year: number): void {
  if (year < YEAR_MIN || year > YEAR_MAX) {
    throw new RangeError(`${echoInput(text)} is outside the years ${YEAR_MIN} to ${YEAR_MAX}`);
  }
}

/** Checks a calendar date written YYYY-MM-DD; returns it unchanged. */
export function parseCalendarDate(text: string): string {
  const match = DATE_PATTERN.exec(text);
  if (!match) throw new RangeError(`${echoInput(text)} is not a date: use YYYY-MM-DD`);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (date.toISOString().slice(0, 10) !== text) throw new RangeError(`${echoInput(text)} is not a calendar date`);
  checkYear(text, date.getUTCFullYear());
  return text;
}

/** A calendar date, "2026-11-22"; a string inside. */
export const DateScalar = stringScalar<string>({
  name: 'Date',
  description: `A calendar date, YYYY-MM-DD, in the years ${YEAR_MIN} to ${YEAR_MAX}.`,
  parse: parseCalendarDate,
  serialize: (value) => value,
  isValue: (value): value is string => typeof value === 'string' && DATE_PATTERN.test(value),
});

/** A point in time as ISO 8601 ("2026-11-22T08:00:00.000Z"); a Date inside. */
export const DateTimeScalar = stringScalar<Date>({
  name: 'DateTime',
  description: `A point in time, ISO 8601 in UTC, in the years ${YEAR_MIN} to ${YEAR_MAX}.`,
  parse: (text) => {
    const date = new Date(text);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(date.getTime())) {
      throw new RangeError(`${echoInput(text)} is not an ISO 8601 date-time`);
    }
    checkYear(text, date.getUTCFullYear());
    return date;
  },
  serialize: (value) => value.toISOString(),
  isValue: (value): value is Date => value instanceof Date && !Number.isNaN(value.getTime()),
});

/** Every custom scalar of the API by name: the gateway checks client input against these same definitions. */
export const PLATFORM_SCALARS: ReadonlyMap<string, GraphQLScalarType> = new Map(
  [MoneyScalar, RateScalar, DateScalar, DateTimeScalar].map((scalar) => [scalar.name, scalar]),
);
