// One log line per request, written once the response has been handed to the operating system.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export function logAccess(
  log: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  started: bigint,
): void {
  res.on('finish', () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    log.info(
      {
        event: 'http.request',
        method: req.method,
        path: pathname,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 100) / 100,
      },
      'request',
    );
  });
}
