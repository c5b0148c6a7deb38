import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { SectionNav, type Section } from '~/components/section-nav';
import { requireUser } from '~/auth/auth.server';
import { guarded } from '~/lib/guard.server';

/** Everything under /app needs a session: this loader runs for every page below it. */
export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const { headers } = await requireUser(args);
    return json(null, { headers });
  });

/** The sections of the signed-in app, in the order the navigation shows them (Listings is /app and /app/listings/…). */
const APP_SECTIONS: Section[] = [
  { to: '/app', label: 'Listings', under: ['/app/listings/'] },
  { to: '/app/scoring', label: 'Scoring' },
  { to: '/app/valuation', label: 'Valuation' },
  { to: '/app/collections', label: 'Collections' },
];

export default function AppLayout() {
  return (
    <>
      <SectionNav label="Sections" sections={APP_SECTIONS} />
      <Outlet />
    </>
  );
}
