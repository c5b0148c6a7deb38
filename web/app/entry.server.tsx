// Server entry: renders documents, and stamps every response with the headers a signed-in app needs.
import { PassThrough } from 'node:stream';
import type { ActionFunctionArgs, EntryContext, HandleDataRequestFunction, LoaderFunctionArgs } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';
import { ConfigError, configWarnings, getConfig } from '~/config.server';
import { LOCAL_REFUSAL_MESSAGE, localRequestRefusal } from '~/lib/local-only.server';
import { logger } from '~/lib/log.server';
import { NonceProvider } from '~/lib/nonce';
import { requestIdOf } from '~/lib/request-id.server';
import { createNonce, setSecurityHeaders, type SecurityHeaderOptions } from '~/lib/security-headers.server';

// Read and validated when the server starts: an unsafe configuration (local identity mode in production,
// missing Clerk keys) stops the process here, before it serves anything.
try {
  getConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`config: ${error.message}\n`);
  process.exit(1);
}
// What is allowed but unwise (CLERK_JWT_KEY missing in production): once per process, as this module is
// evaluated once, when the server loads the build. The lines name settings, never their values.
for (const warning of configWarnings(getConfig())) logger.warn(warning.event, { msg: warning.message });

const ABORT_DELAY = 5_000;

function securityOptions(): SecurityHeaderOptions {
  const config = getConfig();
  return {
    nodeEnv: config.nodeEnv,
    authMode: config.authMode,
    publishableKey: config.clerk.publishableKey,
    viteDevServer: __VITE_DEV_SERVER__,
  };
}

/**
 * Local identity mode answers only a browser on this machine talking to the app directly. Every loader
 * and action refuses first (lib/guard.server.ts); this refuses the response of whatever still got here.
 */
function localOnlyRefusal(request: Request): Response | null {
  if (getConfig().authMode !== 'local' || !localRequestRefusal(request)) return null;
  const headers = new Headers({ 'Content-Type': 'text/plain; charset=utf-8' });
  setSecurityHeaders(headers, securityOptions());
  return new Response(LOCAL_REFUSAL_MESSAGE, { status: 403, headers });
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const refused = localOnlyRefusal(request);
  if (refused) return refused;
  // One nonce per document: the Content-Security-Policy allows the inline scripts that carry it.
  const nonce = createNonce();
  const waitForAll = isbot(request.headers.get('user-agent') ?? '') || remixContext.isSpaMode;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true;
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          // Pages are personal (the header shows who is signed in): never cached anywhere.
          setSecurityHeaders(responseHeaders, securityOptions(), nonce);
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

export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => {
  const refused = localOnlyRefusal(request);
  if (refused) return refused;
  setSecurityHeaders(response.headers, securityOptions());
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
