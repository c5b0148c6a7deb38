import { ClerkApp, SignOutButton, UserButton } from '@clerk/remix';
import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import { authMode, rootAuthLoader } from '~/auth/auth.server';
import { ErrorPage } from '~/components/error-page';
import { Header } from '~/components/header';
import { MaintenanceBanner } from '~/components/maintenance-banner';
import { SIGN_OUT_BUTTON_CLASS } from '~/components/user-menu';
import { DEFAULT_APPEARANCE, themeClass, type Appearance } from '~/lib/appearance';
import { withAppearance } from '~/lib/appearance.server';
import { guarded } from '~/lib/guard.server';
import { useNonce } from '~/lib/nonce';
import stylesheet from '~/tailwind.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesheet }];

export const meta: MetaFunction = () => [
  { title: 'Deal Brain' },
  { name: 'description', content: 'Track, value and score hardware deals.' },
];

/**
 * The document's headers. Remix keeps only the cookies of a Response a loader throws; the rate-limited
 * page (429, graphql/client.server.ts) also keeps the API's Retry-After, so a browser or a script knows
 * when to come back. Every error reaches this route's boundary, so it is the one that sees them.
 */
export const headers: HeadersFunction = ({ errorHeaders }) => {
  const documentHeaders = new Headers();
  const retryAfter = errorHeaders?.get('Retry-After');
  if (retryAfter) documentHeaders.set('Retry-After', retryAfter);
  return documentHeaders;
};

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () =>
    withAppearance(args, await rootAuthLoader(args, (user) => ({ authMode: authMode(), user }))),
  );

type RootData = {
  authMode: 'clerk' | 'local';
  user: {
    userId: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    imageUrl: string | null;
    /** From the API on this page load (never the token's claims); null when the API could not answer. */
    role: 'ADMIN' | 'USER' | null;
  } | null;
  /** Theme and currency: the viewer's preferences, or the defaults for signed-out visitors. */
  appearance: Appearance;
  /** The tenant's maintenance banner while an admin has it set; always null for signed-out visitors. */
  maintenanceBanner: string | null;
};

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root') as unknown as RootData | undefined;
  // The document's Content-Security-Policy nonce (entry.server.tsx): Remix's inline scripts carry it.
  const nonce = useNonce();
  return (
    <html lang="en" className={themeClass((data?.appearance ?? DEFAULT_APPEARANCE).theme)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900"
        >
          Skip to content
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Shell({
  user,
  banner,
  userExtra,
  signOut,
  children,
}: {
  user: RootData['user'];
  banner: string | null;
  userExtra?: ReactNode;
  signOut?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <Header user={user} userExtra={userExtra} signOut={signOut} />
      {user ? <MaintenanceBanner message={banner} /> : null}
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        {children}
      </main>
    </>
  );
}

function LocalApp() {
  const { user, maintenanceBanner } = useLoaderData<typeof loader>() as unknown as RootData;
  return (
    <Shell user={user} banner={maintenanceBanner}>
      <Outlet />
    </Shell>
  );
}

/**
 * Clerk mode signs out through clerk-js: it ends the session at Clerk and removes every cookie it set,
 * including the instance-suffixed ones and those on the parent domain that the server cannot clear.
 */
const clerkSignOut = (
  <SignOutButton redirectUrl="/sign-in">
    <button type="button" className={SIGN_OUT_BUTTON_CLASS}>
      Sign out
    </button>
  </SignOutButton>
);

function ClerkModeApp() {
  const { user, maintenanceBanner } = useLoaderData<typeof loader>() as unknown as RootData;
  return (
    <Shell
      user={user}
      banner={maintenanceBanner}
      userExtra={<UserButton afterSignOutUrl="/sign-in" showName />}
      signOut={clerkSignOut}
    >
      <Outlet />
    </Shell>
  );
}

/** Clerk mode: ClerkProvider (clerk-js, Clerk's components) around the app. */
const ClerkRoot = ClerkApp(ClerkModeApp, { signInUrl: '/sign-in', signUpUrl: '/sign-up' });

/**
 * Local mode renders no Clerk provider: it would load clerk-js from a Frontend API that does not exist,
 * and the browser must talk to no host but this one. The server side still uses Clerk (rootAuthLoader,
 * getAuth) in both modes.
 */
export default function Root() {
  const data = useLoaderData<typeof loader>() as unknown as RootData;
  return data.authMode === 'clerk' ? <ClerkRoot /> : <LocalApp />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>('root') as unknown as RootData | undefined;
  return (
    <Shell user={data?.user ?? null} banner={data?.maintenanceBanner ?? null}>
      <ErrorPage error={error} />
    </Shell>
  );
}
