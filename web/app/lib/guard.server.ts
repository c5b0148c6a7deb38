// Loaders and actions run inside `guarded`: an unexpected failure becomes an error page that carries the
// request id (and is logged with it), never a stack trace.
import { LocalAuthUnavailableError } from '~/auth/local-provider.server';
import { getConfig } from '~/config.server';
import { errorResponse } from '~/graphql/client.server';
import { LOCAL_REFUSAL_MESSAGE, localRequestRefusal } from './local-only.server';
import { logger } from './log.server';
import { requestIdOf } from './request-id.server';

/**
 * Form posts must come from this site. SameSite=Lax already keeps the session cookie off cross-site
 * posts; this also refuses them outright (sign-out would otherwise clear cookies for anyone's page).
 */
function assertSameOrigin(request: Request): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const site = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  // The configured origins only: the request's own URL comes from its Host (the built web server,
  // web/server.mjs) or even its Origin header (Vite's dev server), so a rebinding page would name itself
  // (ADR 0066).
  const allowed = new Set(getConfig().authorizedParties);
  if (site === 'cross-site' || (origin !== null && !allowed.has(origin))) {
    throw errorResponse(403, {
      code: 'FORBIDDEN',
      message: 'This form was sent from another site.',
      requestId: requestIdOf(request),
    });
  }
}

/** Local identity mode: only a browser on this machine, talking to the app directly (local-only.server.ts). */
function assertLocalOnly(request: Request): void {
  if (getConfig().authMode !== 'local') return;
  const refusal = localRequestRefusal(request);
  if (!refusal) return;
  logger.warn('request.local_only_refused', { requestId: requestIdOf(request), reason: refusal });
  throw errorResponse(403, { code: 'FORBIDDEN', message: LOCAL_REFUSAL_MESSAGE, requestId: requestIdOf(request) });
}

/**
 * Every loader and action runs inside this (a test imports every route module and checks): local mode's
 * refusal and the same-origin check happen before anything else, and unexpected failures become pages.
 */
export async function guarded<T>(request: Request, run: () => Promise<T>): Promise<T> {
  try {
    assertLocalOnly(request);
    assertSameOrigin(request);
    return await run();
  } catch (error) {
    if (error instanceof Response) throw error;
    const requestId = requestIdOf(request);
    const err = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error;
    if (error instanceof LocalAuthUnavailableError) {
      logger.error('auth.provider_unavailable', { requestId, err });
      throw errorResponse(503, { code: 'API_UNAVAILABLE', message: 'The sign-in service is not reachable', requestId });
    }
    logger.error('request.failed', { requestId, path: new URL(request.url).pathname, err });
    throw errorResponse(500, { code: 'INTERNAL', message: 'We could not complete this request.', requestId });
  }
}
