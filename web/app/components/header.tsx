import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { UserMenu, type MenuUser } from './user-menu';

export function Header({
  user,
  userExtra,
  signOut,
}: {
  user: MenuUser | null;
  userExtra?: ReactNode;
  signOut?: ReactNode;
}) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3">
        <Link to={user ? '/app' : '/'} className="text-lg font-bold tracking-tight text-indigo-700">
          Deal Brain
        </Link>
        {user ? (
          <UserMenu user={user} extra={userExtra} signOut={signOut} />
        ) : (
          <nav aria-label="Account" className="flex items-center gap-2 text-sm">
            <Link to="/sign-in" className="rounded-md px-3 py-2 font-medium hover:bg-slate-100">
              Sign in
            </Link>
            <Link
              to="/sign-up"
              className="rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-500"
            >
              Sign up
            </Link>
          </nav>
        )}
      </div>
    </header>
  );
}
