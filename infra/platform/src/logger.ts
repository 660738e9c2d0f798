import pino from 'pino';
import type { LogLevel } from './config';

export type Logger = pino.Logger;

export function createLogger(service: string, level: LogLevel): Logger {
  return pino({ name: service, level, base: { service } });
}
