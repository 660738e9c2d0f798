import { MONEY_MAX_FEN } from '@wanxin/platform';
import { REFERENCE_NO_PATTERN } from '@wanxin/platform/bank-protocol';

/** A field of reqData that is missing or malformed; the request is refused with 00003 naming it. */
export class ParameterError extends Error {
  override name = 'ParameterError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** At most twelve digits, no sign, no leading zeros, no decimals: integer fen as a decimal string. */
const FEN_PATTERN = /^(0|[1-9][0-9]{0,11})$/;
const TEXT_LENGTH_MAX = 200;

/**
 * Reads reqData strictly: every field must be present with the right JSON type and form. Amounts are
 * integer fen written as strings; a JSON number, a sign, a decimal point, an exponent or a value above
 * MONEY_MAX_FEN is refused. Unknown fields are ignored.
 */
export class RequestFields {
  private constructor(
    private readonly data: Record<string, unknown>,
    private readonly path: string,
  ) {}

  static of(value: unknown, path = 'reqData'): RequestFields {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new ParameterError(path, 'must be a JSON object');
    return new RequestFields(value as Record<string, unknown>, path === 'reqData' ? '' : `${path}.`);
  }

  private name(field: string): string {
    return `${this.path}${field}`;
  }

  text(field: string, lengthMax = TEXT_LENGTH_MAX): string {
    const value = this.data[field];
    if (typeof value !== 'string') throw new ParameterError(this.name(field), 'must be a string');
    if (value.length === 0) throw new ParameterError(this.name(field), 'must not be empty');
    if ([...value].length > lengthMax)
      throw new ParameterError(this.name(field), `must have at most ${lengthMax} characters`);
    return value;
  }

  matching(field: string, valid: (value: string) => boolean, hint: string): string {
    const value = this.text(field);
    if (!valid(value)) throw new ParameterError(this.name(field), hint);
    return value;
  }

  /** A requestNo, userNo, projectNo: 1 to 40 of [A-Za-z0-9_-]. */
  reference(field: string): string {
    return this.matching(field, (value) => REFERENCE_NO_PATTERN.test(value), 'must be 1 to 40 letters, digits, _ or -');
  }

  /** Integer fen; `positive` for an amount that moves money, otherwise zero is allowed. */
  amountFen(field: string, rule: 'positive' | 'zeroOrMore'): bigint {
    const value = this.data[field];
    if (typeof value !== 'string')
      throw new ParameterError(this.name(field), 'must be integer fen written as a string, e.g. "5000000"');
    if (!FEN_PATTERN.test(value))
      throw new ParameterError(this.name(field), `"${value.slice(0, 40)}" is not integer fen (digits only, no sign)`);
    const amountFen = BigInt(value);
    if (amountFen > MONEY_MAX_FEN) throw new ParameterError(this.name(field), `must be at most ${MONEY_MAX_FEN}`);
    if (rule === 'positive' && amountFen === 0n) throw new ParameterError(this.name(field), 'must be above zero');
    return amountFen;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const value = this.data[field];
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw new ParameterError(this.name(field), `must be one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  list(field: string, lengthMax: number): RequestFields[] {
    const value = this.data[field];
    if (!Array.isArray(value)) throw new ParameterError(this.name(field), 'must be a list');
    if (value.length === 0) throw new ParameterError(this.name(field), 'must not be empty');
    if (value.length > lengthMax) throw new ParameterError(this.name(field), `may hold at most ${lengthMax} entries`);
    return value.map((entry, index) => RequestFields.of(entry, `${this.name(field)}[${index}]`));
  }
}
