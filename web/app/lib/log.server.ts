// Structured JSON log lines (pino), like the API server's, with credentials redacted wherever a
// caller might pass them along. Created on first use so the level comes from the validated config.
import { pino, type Logger } from 'pino';
import { getConfig } from '~/config.server';

type Fields = Record<string, unknown>;

let instance: Logger | undefined;

function levelFromConfig(): string {
  try {
    return getConfig().logLevel;
  } catch {
    // An unusable configuration is reported (and stops the server) in entry.server.tsx.
    return 'info';
  }
}

function log(): Logger {
  instance ??= pino({
    level: levelFromConfig(),
    base: { service: 'dealbrain-web' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ['token', '*.token', 'authorization', '*.authorization', 'cookie', '*.cookie', 'headers.cookie'],
      censor: '[redacted]',
    },
  });
  return instance;
}

export const logger = {
  debug: (event: string, fields: Fields = {}) => log().debug({ event, ...fields }),
  info: (event: string, fields: Fields = {}) => log().info({ event, ...fields }),
  warn: (event: string, fields: Fields = {}) => log().warn({ event, ...fields }),
  error: (event: string, fields: Fields = {}) => log().error({ event, ...fields }),
};
