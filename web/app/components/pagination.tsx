import { Link } from '@remix-run/react';

export interface PageLink {
  to: string;
  label: string;
}

/** Links to the page before and the page after, when there is one; each keeps its side of the row. */
export function Pagination({ previous, next }: { previous: PageLink | null; next: PageLink | null }) {
  return (
    <nav aria-label="Pagination" className="mt-4 flex justify-between text-sm">
      {previous ? (
        <Link to={previous.to} className="font-medium text-indigo-700 underline">
          {previous.label}
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link to={next.to} className="font-medium text-indigo-700 underline">
          {next.label}
        </Link>
      ) : null}
    </nav>
  );
}
