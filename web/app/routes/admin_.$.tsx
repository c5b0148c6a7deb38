import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireAdmin } from '~/lib/admin-access.server';
import { guarded } from '~/lib/guard.server';
import { notFound } from '~/lib/not-found.server';

/**
 * Unknown pages under /admin: signed-out visitors go to sign-in first; non-admins get the same 403 as
 * every other /admin URL (which pages exist is not theirs to learn); admins get a 404.
 */
export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const { session } = await requireAdmin(args);
    throw notFound(args.request, session.headers);
  });

// Never rendered (the loader always throws), but without a component this would be a resource route
// and the error would not be shown as a page.
export default function NotFound() {
  return null;
}
