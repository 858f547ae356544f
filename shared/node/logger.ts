import pino, { type Logger } from 'pino';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Config } from './config';

export type { Logger } from 'pino';

/** Paths that must never reach a log line. */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  '*.apiKey',
  '*.secret',
  '*.secrets',
  'apiKey',
  'secret',
];

/** The one root logger: pretty on a terminal, JSON otherwise (or as LOG_FORMAT says). */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>): Logger {
  const pretty =
    config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY === true);
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'frontier-review' },
    redact: { paths: REDACT, censor: '[redacted]' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Adapts pino to the Temporal SDK's Logger, so the runtime's and workflows' logs join ours. The SDK puts a
 * failure under `error`, which pino would write as `{}` (it serializes errors under `err` only): it is written
 * with pino's error serializer, so a failed activity's log line says why it failed.
 */
export class TemporalPinoLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    // Not `instanceof Error`: a workflow's errors come from its sandbox's realm. The serializer returns what
    // is not error-like as it is.
    const fields =
      meta?.error === undefined
        ? (meta ?? {})
        : { ...meta, error: pino.stdSerializers.err(meta.error as Error) };
    this.logger[LEVELS[level]](fields, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
