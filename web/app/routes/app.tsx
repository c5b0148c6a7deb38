import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { guarded } from '~/lib/guard.server';

/** Everything under /app needs a session: this loader runs for every page below it. */
export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const { headers } = await requireUser(args);
    return json(null, { headers });
  });

export default function AppLayout() {
  return <Outlet />;
}
