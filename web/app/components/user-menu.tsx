import { Form, Link } from '@remix-run/react';
import type { ReactNode } from 'react';

export interface MenuUser {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  imageUrl: string | null;
  /**
   * The role as the API read it from our users table on this page load (the root loader), never a
   * token's claims: a role change shows on the next page.
   */
  role?: 'ADMIN' | 'USER' | null;
}

export function displayName(user: MenuUser): string {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return name || user.email || 'Signed in';
}

export function initials(user: MenuUser): string {
  const letters = [user.firstName, user.lastName]
    .filter((part): part is string => Boolean(part))
    .map((part) => part.trim()[0] ?? '')
    .join('');
  return (letters || user.email?.[0] || '?').toUpperCase().slice(0, 2);
}

function Avatar({ user }: { user: MenuUser }) {
  if (user.imageUrl) {
    return <img src={user.imageUrl} alt="" className="h-8 w-8 rounded-full object-cover" width={32} height={32} />;
  }
  return (
    <span
      aria-hidden="true"
      className="flex h-8 w-8 items-center justify-center rounded-full bg-indigo-600 text-sm font-semibold text-white"
    >
      {initials(user)}
    </span>
  );
}

export const SIGN_OUT_BUTTON_CLASS =
  'w-full rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-700';

/** Local mode's sign-out: a full document submission, so nothing of the signed-in page survives in memory. */
function SignOutForm() {
  return (
    <Form method="post" action="/sign-out" reloadDocument>
      <button type="submit" className={SIGN_OUT_BUTTON_CLASS}>
        Sign out
      </button>
    </Form>
  );
}

/**
 * The signed-in person's menu: a disclosure (<details>) so it opens with keyboard, mouse or touch and
 * works without JavaScript. In clerk mode `extra` holds Clerk's <UserButton/> and `signOut` Clerk's
 * <SignOutButton> (clerk-js clears the cookies it set); otherwise sign-out posts to /sign-out.
 */
export function UserMenu({ user, extra, signOut }: { user: MenuUser; extra?: ReactNode; signOut?: ReactNode }) {
  const name = displayName(user);
  return (
    <details className="group relative" data-testid="user-menu">
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-full p-1 hover:bg-slate-100 [&::-webkit-details-marker]:hidden"
        aria-label={`Account menu for ${name}`}
      >
        <Avatar user={user} />
        <span className="hidden max-w-40 truncate text-sm font-medium sm:inline">{name}</span>
      </summary>
      <div className="absolute right-0 z-10 mt-2 w-64 rounded-lg border border-slate-200 bg-white p-3 shadow-lg">
        <p className="truncate font-medium" data-testid="user-menu-name">
          {name}
        </p>
        {user.email ? (
          <p className="truncate text-sm text-slate-600" data-testid="user-menu-email">
            {user.email}
          </p>
        ) : null}
        <nav aria-label="Account" className="mt-3 flex flex-col gap-1 border-t border-slate-100 pt-3 text-sm">
          <Link to="/app" className="rounded px-2 py-1.5 hover:bg-slate-100">
            My listings
          </Link>
          <Link to="/settings" className="rounded px-2 py-1.5 hover:bg-slate-100">
            Settings
          </Link>
          {user.role === 'ADMIN' ? (
            <Link to="/admin" className="rounded px-2 py-1.5 hover:bg-slate-100" data-testid="admin-link">
              Admin
            </Link>
          ) : null}
        </nav>
        {extra ? <div className="mt-3 border-t border-slate-100 pt-3">{extra}</div> : null}
        <div className="mt-3 border-t border-slate-100 pt-3">{signOut ?? <SignOutForm />}</div>
      </div>
    </details>
  );
}
