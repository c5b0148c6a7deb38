import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireUser } from '~/auth/auth.server';
import { errorResponse } from '~/graphql/client.server';
import { guarded } from '~/lib/guard.server';
import { requestIdOf } from '~/lib/request-id.server';

/** Unknown pages under /settings: signed-out visitors go to sign-in first; signed-in ones get a 404. */
export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const { headers } = await requireUser(args);
    throw errorResponse(
      404,
      { code: 'NOT_FOUND', message: 'Not found', requestId: requestIdOf(args.request) },
      headers,
    );
  });

export default function AppNotFound() {
  return null;
}
