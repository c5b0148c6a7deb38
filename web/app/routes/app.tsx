import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, Outlet, useLocation } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { guarded } from '~/lib/guard.server';

/** Everything under /app needs a session: this loader runs for every page below it. */
export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const { headers } = await requireUser(args);
    return json(null, { headers });
  });

/** The sections of the signed-in app, in the order the navigation shows them: one entry per section. */
const APP_SECTIONS: { to: string; label: string }[] = [
  { to: '/app', label: 'Listings' },
  { to: '/app/scoring', label: 'Scoring' },
  { to: '/app/valuation', label: 'Valuation' },
  { to: '/app/collections', label: 'Collections' },
];

/** Whether `pathname` is in the section at `to` (Listings is /app itself and /app/listings/…). */
function inSection(pathname: string, to: string): boolean {
  if (to === '/app') return pathname === '/app' || pathname === '/app/' || pathname.startsWith('/app/listings/');
  return pathname === to || pathname.startsWith(`${to}/`);
}

export default function AppLayout() {
  const { pathname } = useLocation();
  return (
    <>
      <nav aria-label="Sections" className="-mt-4 mb-6 border-b border-slate-200">
        <ul className="flex flex-wrap gap-1 text-sm">
          {APP_SECTIONS.map((section) => {
            const current = inSection(pathname, section.to);
            return (
              <li key={section.to}>
                <Link
                  to={section.to}
                  aria-current={current ? 'page' : undefined}
                  className={
                    current
                      ? '-mb-px inline-block border-b-2 border-indigo-600 px-3 py-2 font-semibold text-indigo-700'
                      : '-mb-px inline-block border-b-2 border-transparent px-3 py-2 font-medium text-slate-600 hover:text-slate-900'
                  }
                >
                  {section.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
