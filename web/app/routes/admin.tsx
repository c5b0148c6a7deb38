import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { SectionNav, type Section } from '~/components/section-nav';
import { requireAdmin } from '~/lib/admin-access.server';
import { guarded } from '~/lib/guard.server';

export const meta: MetaFunction = () => [{ title: 'Admin · Deal Brain' }];

/**
 * Every page under /admin runs this first: signed-out visitors go to sign-in, signed-in non-admins get
 * the "Not allowed" page. The role comes from the API (our users table), never from the session token;
 * the API checks it again on every admin field, so this only decides what the page shows.
 */
export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const { session, viewerId } = await requireAdmin(args);
    return json({ viewerId }, { headers: session.headers });
  });

/** The sections of the admin console, in the order the navigation shows them (Users is /admin and /admin/users/…). */
const ADMIN_SECTIONS: Section[] = [
  { to: '/admin', label: 'Users', under: ['/admin/users/'] },
  { to: '/admin/audit', label: 'Audit log' },
  { to: '/admin/settings', label: 'Settings' },
];

export default function AdminLayout() {
  return (
    <>
      <SectionNav label="Admin sections" heading="Admin" sections={ADMIN_SECTIONS} />
      <Outlet />
    </>
  );
}
