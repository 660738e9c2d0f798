import pino from 'pino';
import type { LogFormat, LogLevel } from './config';

export type Logger = pino.Logger;

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * One pino JSON line as a person reads it:
 * `14:02:03.123 WARN  users  publish failed, will retry  type=users.user.registered attempts=1`,
 * then an error's stack on the lines below. A line that is not JSON passes unchanged.
 */
export function prettyLogLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, time, service, name: _name, msg, err, ...fields } = record;
  const clock = new Date(Number(time)).toISOString().slice(11, 23);
  const levelName = LEVEL_NAMES[Number(level)] ?? String(level);
  const details = Object.entries(fields)
    .map(([key, value]) => `${key}=${shown(value)}`)
    .join(' ');
  const stack = typeof err === 'object' && err !== null && 'stack' in err ? `\n${String(err.stack)}` : '';
  const text = `${String(msg ?? '')}${details === '' ? '' : `  ${details}`}`;
  return `${clock} ${levelName.padEnd(5)} ${String(service)}  ${text}${stack}\n`;
}

const prettyStdout = { write: (line: string) => void process.stdout.write(prettyLogLine(line)) };

/** A service's logger: JSON lines (for a collector), or `prettyLogLine` for a person at a terminal. */
export function createLogger(service: string, level: LogLevel, format: LogFormat = 'json'): Logger {
  const options = { name: service, level, base: { service } };
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  return pretty ? pino(options, prettyStdout) : pino(options);
}
