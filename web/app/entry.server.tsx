// Server entry: renders documents, and stamps every response with the headers a signed-in app needs.
import { PassThrough } from 'node:stream';
import type { ActionFunctionArgs, EntryContext, HandleDataRequestFunction, LoaderFunctionArgs } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';
import { ConfigError, getConfig } from '~/config.server';
import { logger } from '~/lib/log.server';
import { requestIdOf } from '~/lib/request-id.server';

// Read and validated when the server starts: an unsafe configuration (local identity mode in production,
// missing Clerk keys) stops the process here, before it serves anything.
try {
  getConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`config: ${error.message}\n`);
  process.exit(1);
}

const ABORT_DELAY = 5_000;

/** Pages are personal (the header shows who is signed in): never cache them anywhere. */
function secureHeaders(headers: Headers): void {
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'private, no-store');
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'same-origin');
  headers.set('X-Frame-Options', 'DENY');
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const waitForAll = isbot(request.headers.get('user-agent') ?? '') || remixContext.isSpaMode;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />,
      {
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true;
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          secureHeaders(responseHeaders);
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors while streaming the shell are logged here; the page itself shows no details.
          if (shellRendered) logger.error('render.failed', { requestId: requestIdOf(request), err: String(error) });
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

export const handleDataRequest: HandleDataRequestFunction = (response) => {
  secureHeaders(response.headers);
  return response;
};

export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs): void {
  if (request.signal.aborted) return;
  logger.error('request.failed', {
    requestId: requestIdOf(request),
    path: new URL(request.url).pathname,
    err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
  });
}
