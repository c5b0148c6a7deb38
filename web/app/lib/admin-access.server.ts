// Who may see the admin console: admins only, by the role the API reads from our users table (never a
// token claim). The API checks it again on every admin field; this decides which page a person sees.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireUser, type SignedIn } from '~/auth/auth.server';
import { AdminViewerQuery } from '~/graphql/admin.server';
import { createApi, errorResponse, type Api } from '~/graphql/client.server';
import { requestIdOf } from './request-id.server';

/** The "Not allowed" page every /admin URL shows a signed-in non-admin. */
export function adminOnly(request: Request, headers?: Headers): Response {
  return errorResponse(
    403,
    { code: 'FORBIDDEN', message: 'You do not have access to this page', requestId: requestIdOf(request) },
    headers,
  );
}

/** The signed-in admin (signed-out visitors are sent to sign-in; anyone else gets the 403 page). */
export async function requireAdmin(
  args: Pick<LoaderFunctionArgs, 'request' | 'context' | 'params'>,
): Promise<{ session: SignedIn; api: Api; viewerId: string }> {
  const session = await requireUser(args);
  const api = createApi(session, args.request);
  const { viewer } = await api.query(AdminViewerQuery, {});
  if (viewer.role !== 'ADMIN') throw adminOnly(args.request, session.headers);
  return { session, api, viewerId: viewer.id };
}
