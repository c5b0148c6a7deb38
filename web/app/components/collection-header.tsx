// The collection page's heading: back to the list, its name and description, and who can do what.
import { Link } from '@remix-run/react';

export function CollectionHeader({
  name,
  description,
  ownerName,
  itemCount,
  isOwner,
  canEditItems,
}: {
  name: string;
  description: string | null;
  ownerName: string | null;
  itemCount: number;
  isOwner: boolean;
  canEditItems: boolean;
}) {
  return (
    <>
      <p className="text-sm">
        <Link to="/app/collections" className="font-medium text-indigo-700 underline">
          ← Collections
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold" data-testid="collection-name">
            {name}
          </h1>
          {description ? (
            <p className="mt-1 max-w-3xl text-slate-700" data-testid="collection-description">
              {description}
            </p>
          ) : null}
          <p className="mt-2 text-sm text-slate-600" data-testid="collection-meta">
            {itemCount === 1 ? '1 listing' : `${itemCount} listings`}
            {isOwner ? ' · Yours' : ` · Shared with you by ${ownerName ?? 'another user'}`}
            {' · '}
            <span data-testid="viewer-permission">
              {isOwner ? 'You can edit, share and delete it' : canEditItems ? 'You can edit its items' : 'View only'}
            </span>
          </p>
        </div>
      </div>
    </>
  );
}
