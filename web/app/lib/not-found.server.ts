// The 404 of signed-in pages: our own payload, so the error page shows its request id.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireUser } from '~/auth/auth.server';
import { errorResponse } from '~/graphql/client.server';
import { guarded } from './guard.server';
import { requestIdOf } from './request-id.server';

/** The Response to throw when a page, or the record it shows, does not exist (or is not the viewer's). */
export function notFound(request: Request, headers?: Headers): Response {
  return errorResponse(404, { code: 'NOT_FOUND', message: 'Not found', requestId: requestIdOf(request) }, headers);
}

/**
 * The loader of the catch-all routes under the signed-in sections (`/app/*`, `/admin/*`, `/settings/*`):
 * signed-out visitors go to sign-in first; signed-in ones get a 404.
 */
export const signedInNotFoundLoader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const { headers } = await requireUser(args);
    throw notFound(args.request, headers);
  });
