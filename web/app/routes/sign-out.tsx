import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { signOut } from '~/auth/auth.server';
import { guarded } from '~/lib/guard.server';

/** POST only: a link or prefetch must never sign anyone out. */
export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => redirect('/sign-in', { headers: await signOut(args) }));

export const loader = (args: LoaderFunctionArgs) => guarded(args.request, async () => redirect('/app'));
