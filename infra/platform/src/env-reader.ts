import { MoneyFormatError, parseMoney, parseRate } from './money';

/** Every problem found in the environment, each naming its variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Reads environment variables once, at start. Each accessor validates its variable and records a
 * problem naming it; `finish()` throws them all at once so an operator fixes everything in one pass.
 */
export class EnvReader {
  private readonly problems: string[] = [];
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === '' ? undefined : value;
  }

  problem(name: string, message: string): void {
    this.problems.push(`${name}: ${message}`);
  }

  optionalString(name: string, pattern?: RegExp, hint?: string): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && pattern && !pattern.test(value)) {
      this.problem(name, `"${value}" is not valid${hint ? ` (${hint})` : ''}`);
      return undefined;
    }
    return value;
  }

  string(name: string, defaultValue: string, pattern?: RegExp, hint?: string): string {
    return this.optionalString(name, pattern, hint) ?? defaultValue;
  }

  int(name: string, defaultValue: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return defaultValue;
    const parsed = /^-?[0-9]+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problem(name, `"${value}" must be a whole number from ${min} to ${max}`);
      return defaultValue;
    }
    return parsed;
  }

  /** An amount of yuan ("500000.00") as bigint fen, in the Money scalar's format. */
  money(name: string, defaultText: string): bigint {
    return this.parsed(name, defaultText, parseMoney);
  }

  /** A rate ("0.15") as integer millionths, in the Rate scalar's format. */
  rate(name: string, defaultText: string): number {
    return this.parsed(name, defaultText, parseRate);
  }

  private parsed<T>(name: string, defaultText: string, parse: (text: string) => T): T {
    const text = this.string(name, defaultText);
    try {
      return parse(text);
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error;
      this.problem(name, error.message);
      return parse(defaultText);
    }
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], defaultValue: T): T {
    const value = this.raw(name);
    if (value === undefined) return defaultValue;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problem(name, `"${value}" must be one of ${allowed.join(', ')}`);
      return defaultValue;
    }
    return value as T;
  }

  optionalUrl(name: string, protocols: readonly string[]): URL | undefined {
    const value = this.raw(name);
    return value === undefined ? undefined : this.url(name, value, protocols);
  }

  /** A comma-separated list of 1 to `countMax` URLs (e.g. every node of a cluster). */
  optionalUrls(name: string, protocols: readonly string[], countMax: number): URL[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const parts = value.split(',').map((part) => part.trim());
    if (parts.length > countMax || parts.some((part) => part === '')) {
      this.problem(name, `must be 1 to ${countMax} URLs separated by commas`);
      return undefined;
    }
    const urls = parts.map((part) => this.url(name, part, protocols));
    return urls.every((url) => url !== undefined) ? (urls as URL[]) : undefined;
  }

  private url(name: string, value: string, protocols: readonly string[]): URL | undefined {
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) {
        this.problem(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
        return undefined;
      }
      return url;
    } catch {
      this.problem(name, 'is not a URL');
      return undefined;
    }
  }

  /** A PEM given in an env var, where newlines are often written as "\n". */
  optionalPem(name: string, kind: 'PRIVATE KEY' | 'PUBLIC KEY'): string | undefined {
    const value = this.raw(name)?.replace(/\\n/g, '\n');
    if (
      value !== undefined &&
      !value.includes(`-----BEGIN ${kind}-----`) &&
      !value.includes(`-----BEGIN RSA ${kind}-----`)
    ) {
      this.problem(name, `must be a PEM-encoded RSA ${kind.toLowerCase()}`);
      return undefined;
    }
    return value;
  }

  finish(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
