import type { MetaFunction } from '@remix-run/node';
import { Link, useRouteLoaderData } from '@remix-run/react';

export const meta: MetaFunction = () => [{ title: 'Deal Brain · Track and score hardware deals' }];

export default function Landing() {
  const root = useRouteLoaderData('root') as { user: unknown } | undefined;
  const signedIn = Boolean(root?.user);
  return (
    <div className="py-8 sm:py-16">
      <h1 className="max-w-2xl text-4xl font-bold tracking-tight sm:text-5xl">
        Know a good hardware deal when you see one.
      </h1>
      <p className="mt-6 max-w-2xl text-lg text-slate-700">
        Deal Brain keeps the PCs and parts you are watching in one place: price, condition and specs. Value them with
        your own rules, score them with your own weightings, and share collections with people you trust.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        {signedIn ? (
          <Link to="/app" className="rounded-md bg-indigo-600 px-5 py-3 font-semibold text-white hover:bg-indigo-500">
            Go to your listings
          </Link>
        ) : (
          <>
            <Link
              to="/sign-up"
              className="rounded-md bg-indigo-600 px-5 py-3 font-semibold text-white hover:bg-indigo-500"
            >
              Create an account
            </Link>
            <Link
              to="/sign-in"
              className="rounded-md border border-slate-300 bg-white px-5 py-3 font-semibold hover:bg-slate-50"
            >
              Sign in
            </Link>
          </>
        )}
      </div>
      <ul className="mt-16 grid gap-6 sm:grid-cols-3">
        {[
          ['Track', 'Every listing with its price, condition, CPU, GPU, memory and storage.'],
          ['Value', 'Rules that adjust a price by its components, so you compare like with like.'],
          ['Share', 'Collections you can show to a friend, read-only or for editing together.'],
        ].map(([title, text]) => (
          <li key={title} className="rounded-lg border border-slate-200 bg-white p-5">
            <h2 className="font-semibold">{title}</h2>
            <p className="mt-2 text-sm text-slate-600">{text}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
