// The collection page's list of listings: each item with its note, and for editors the note, move and
// remove controls; then the links to earlier and later pages of items.
import { COLLECTION_LIMITS } from '@deal-brain/shared/field-limits';
import { Form } from '@remix-run/react';
import { Pagination } from '~/components/pagination';
import { useMoney } from '~/lib/appearance';
import { InlineError, RowActionForm, smallButton, type ActionErrors, type FormValues } from './collection-ui';

export interface CollectionItem {
  id: string;
  note: string | null;
  position: number;
  addedByViewer: boolean;
  listing: { id: string; title: string; url: string | null; price: string; specs: string[] };
}

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
}

export function CollectionItems({
  items,
  canEditItems,
  isOwner,
  lastPosition,
  paged,
  pageInfo,
  search,
  busy,
  failed,
  failedValues,
}: {
  items: CollectionItem[];
  canEditItems: boolean;
  isOwner: boolean;
  lastPosition: number;
  paged: boolean;
  pageInfo: PageInfo;
  search: URLSearchParams;
  busy: boolean;
  /** The errors of a failed post of this intent (for this item), else none. */
  failed: (intent: string, itemId: string) => ActionErrors;
  /** What a failed post of this intent sent, else nothing. */
  failedValues: (intent: string) => FormValues;
}) {
  return (
    <section aria-labelledby="items-title" className="mt-8">
      <h2 id="items-title" className="text-xl font-semibold">
        Listings
      </h2>
      {items.length === 0 && !paged ? (
        <p
          className="mt-4 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600"
          data-testid="items-empty"
        >
          This collection is empty.{canEditItems ? ' Add a listing below.' : ''}
        </p>
      ) : (
        <ol className="mt-4 space-y-3" data-testid="collection-items" aria-label="Listings in this collection">
          {items.map((item) => (
            <CollectionItemRow
              key={item.id}
              item={item}
              canEditItems={canEditItems}
              isOwner={isOwner}
              lastPosition={lastPosition}
              busy={busy}
              errors={{
                ...failed('update-note', item.id),
                ...failed('move-item', item.id),
                ...failed('remove-item', item.id),
              }}
              noteValue={
                failed('update-note', item.id).note ? (failedValues('update-note').note ?? '') : (item.note ?? '')
              }
            />
          ))}
        </ol>
      )}
      <ItemsPagination search={search} paged={paged} pageInfo={pageInfo} />
    </section>
  );
}

function CollectionItemRow({
  item,
  canEditItems,
  isOwner,
  lastPosition,
  busy,
  errors,
  noteValue,
}: {
  item: CollectionItem;
  canEditItems: boolean;
  isOwner: boolean;
  lastPosition: number;
  busy: boolean;
  errors: ActionErrors;
  /** The note field's value: the saved note, or what a failed save sent. */
  noteValue: string;
}) {
  const title = item.listing.title;
  const money = useMoney();
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4 sm:p-5" data-testid="collection-item">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 className="font-semibold">
            <span className="mr-2 text-slate-500 tabular-nums" aria-hidden="true">
              {item.position + 1}.
            </span>
            {item.listing.url ? (
              <a
                href={item.listing.url}
                className="text-indigo-700 underline"
                rel="noopener noreferrer nofollow"
                target="_blank"
              >
                {title}
                <span className="sr-only"> (opens the listing in a new tab)</span>
              </a>
            ) : (
              title
            )}
          </h3>
          {!isOwner && item.addedByViewer ? (
            <p className="mt-1 text-xs font-medium text-indigo-700" data-testid="added-by-viewer">
              Added by you
            </p>
          ) : null}
          {item.listing.specs.length > 0 ? (
            <p className="mt-1 text-sm text-slate-600" data-testid="item-specs">
              {item.listing.specs.join(' · ')}
            </p>
          ) : null}
        </div>
        <p className="text-lg font-semibold tabular-nums" data-testid="item-price">
          {money(item.listing.price)}
        </p>
      </div>

      {!canEditItems ? (
        item.note ? (
          <p className="mt-3 rounded-md bg-slate-50 p-3 text-sm text-slate-800" data-testid="item-note">
            <span className="font-medium">Note: </span>
            {item.note}
          </p>
        ) : null
      ) : (
        <ItemControls item={item} lastPosition={lastPosition} busy={busy} noteValue={noteValue} />
      )}
      <InlineError message={errors.note ?? errors.position ?? errors.itemId ?? errors.form} testId="item-error" />
    </li>
  );
}

/** An editor's controls for one item: its note, moving it up or down, removing it. */
function ItemControls({
  item,
  lastPosition,
  busy,
  noteValue,
}: {
  item: CollectionItem;
  lastPosition: number;
  busy: boolean;
  noteValue: string;
}) {
  const noteId = `item-note-${item.position}`;
  const title = item.listing.title;
  return (
    <div className="mt-3 grid gap-3 lg:grid-cols-[1fr_auto] lg:items-end">
      <Form method="post" className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="itemId" value={item.id} />
        <div className="min-w-[16rem] flex-1">
          <label htmlFor={noteId} className="block text-sm font-medium text-slate-800">
            Note<span className="sr-only"> for {title}</span>
          </label>
          <textarea
            id={noteId}
            name="note"
            rows={1}
            maxLength={COLLECTION_LIMITS.noteLength}
            defaultValue={noteValue}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm"
            data-testid="item-note-input"
          />
        </div>
        <button type="submit" name="intent" value="update-note" className={smallButton} disabled={busy}>
          Save note<span className="sr-only"> for {title}</span>
        </button>
      </Form>
      <div className="flex flex-wrap gap-2">
        <Form method="post" className="flex gap-2">
          <input type="hidden" name="itemId" value={item.id} />
          <input type="hidden" name="position" value={item.position} />
          <button
            type="submit"
            name="intent"
            value="move-up"
            className={smallButton}
            disabled={busy || item.position === 0}
          >
            Move up<span className="sr-only"> {title}</span>
          </button>
          <button
            type="submit"
            name="intent"
            value="move-down"
            className={smallButton}
            disabled={busy || item.position >= lastPosition}
          >
            Move down<span className="sr-only"> {title}</span>
          </button>
        </Form>
        <RowActionForm field="itemId" value={item.id} intent="remove-item" busy={busy}>
          Remove<span className="sr-only"> {title}</span>
        </RowActionForm>
      </div>
    </div>
  );
}

function ItemsPagination({ search, paged, pageInfo }: { search: URLSearchParams; paged: boolean; pageInfo: PageInfo }) {
  const link = (key: 'after' | 'before', cursor: string) => `?${key}=${encodeURIComponent(cursor)}`;
  return (
    <Pagination
      previous={
        paged && (pageInfo.hasPreviousPage || search.has('after')) && pageInfo.startCursor
          ? { to: link('before', pageInfo.startCursor), label: '← Earlier listings' }
          : null
      }
      next={
        (pageInfo.hasNextPage || search.has('before')) && pageInfo.endCursor
          ? { to: link('after', pageInfo.endCursor), label: 'Later listings →' }
          : null
      }
    />
  );
}
