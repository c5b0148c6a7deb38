import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs. Credentials never reach a log line, even by accident. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'dealbrain-api' },
      redact: {
        paths: [
          'authorization',
          'token',
          'secret',
          '*.authorization',
          '*.token',
          '*.secret',
          'headers.authorization',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
