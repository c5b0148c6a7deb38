import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react';
import type { ReactNode } from 'react';
import { requireUser } from '~/auth/auth.server';
import { FormErrors, SelectField, TextAreaField, TextField, buttonClass } from '~/components/fields';
import { Pagination } from '~/components/pagination';
import { createApi } from '~/graphql/client.server';
import {
  AddCollectionItemMutation,
  AddableListingsQuery,
  CollectionQuery,
  DeleteCollectionMutation,
  MoveCollectionItemMutation,
  RemoveCollectionItemMutation,
  RevokeCollectionShareMutation,
  ShareCollectionMutation,
  UpdateCollectionItemMutation,
  UpdateCollectionMutation,
} from '~/graphql/collections.server';
import {
  PERMISSION_LABELS,
  SHARE_PERMISSIONS,
  collectionGlobalId,
  collectionNotice,
  parseCollectionAction,
  type CollectionAction,
} from '~/lib/collection-form.server';
import { guarded } from '~/lib/guard.server';
import { CONDITIONS } from '~/lib/listing-form.server';
import { notFound } from '~/lib/not-found.server';

/** Items per page; the API's maximum, so pages are rare (a collection holds at most 500). */
const ITEMS_PER_PAGE = 100;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.collection.name} · Collections · Deal Brain` : 'Collection · Deal Brain' },
];

function gb(value: number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value >= 1000 && value % 1000 === 0 ? `${value / 1000} TB` : `${value} GB`;
}

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const id = collectionGlobalId(args.params.id);
    if (!id) throw notFound(args.request, session.headers);
    const params = new URL(args.request.url).searchParams;
    const after = params.get('after');
    const before = params.get('before');
    const page = before ? { last: ITEMS_PER_PAGE, before } : { first: ITEMS_PER_PAGE, after };
    const api = createApi(session, args.request);
    const { node } = await api.query(CollectionQuery, { id, ...page });
    // Hidden by RLS, deleted, or never there: the same 404 either way.
    if (!node || node.__typename !== 'Collection') throw notFound(args.request, session.headers);

    const canEditItems = node.viewerPermission === 'OWNER' || node.viewerPermission === 'EDIT';
    const isOwner = node.viewerPermission === 'OWNER';
    const conditionLabels = Object.fromEntries(CONDITIONS.map((option) => [option.value, option.label]));
    const items = node.items.edges.map(({ node: item }) => {
      const listing = item.listing;
      return {
        id: item.id,
        note: item.note,
        position: item.position,
        addedByViewer: item.addedByViewer,
        listing: {
          id: listing.id,
          title: listing.title,
          url: listing.url && /^https?:\/\//i.test(listing.url) ? listing.url : null,
          price: listing.price,
          specs: [
            conditionLabels[listing.condition] ?? listing.condition,
            listing.cpu,
            listing.gpu,
            gb(listing.ramGb) ? `${gb(listing.ramGb)} RAM` : null,
            gb(listing.storageGb) ? `${gb(listing.storageGb)} storage` : null,
          ].filter((spec): spec is string => Boolean(spec)),
        },
      };
    });

    let addable: { id: string; label: string }[] = [];
    let ownListingCount = 0;
    if (canEditItems) {
      const { listings } = await api.query(AddableListingsQuery, {});
      const inCollection = new Set(items.map((item) => item.listing.id));
      ownListingCount = listings.totalCount;
      addable = listings.edges
        .filter(({ node: listing }) => !inCollection.has(listing.id))
        .map(({ node: listing }) => ({ id: listing.id, label: `${listing.title} (${listing.price})` }));
    }

    return json(
      {
        notice: collectionNotice(params.get('notice'), params.get('email')),
        collection: {
          name: node.name,
          description: node.description,
          ownerName: node.ownerName,
          itemCount: node.itemCount,
          permission: node.viewerPermission,
          permissionLabel: PERMISSION_LABELS[node.viewerPermission] ?? node.viewerPermission,
        },
        canEditItems,
        isOwner,
        items,
        itemsPage: { pageInfo: node.items.pageInfo, paged: Boolean(after || before) },
        shares: isOwner ? node.shares.edges.map(({ node: share }) => share) : [],
        addable,
        ownListingCount,
        permissions: SHARE_PERMISSIONS,
      },
      { headers: session.headers },
    );
  });

/** Where a successful post goes: back to this page (and its page of items) with a notice. */
function backTo(request: Request, notice: string, email?: string): string {
  const url = new URL(request.url);
  const next = new URLSearchParams();
  for (const key of ['after', 'before']) {
    const value = url.searchParams.get(key);
    if (value) next.set(key, value);
  }
  next.set('notice', notice);
  if (email) next.set('email', email);
  return `${url.pathname}?${next.toString()}`;
}

interface Outcome {
  result: { ok: true } | { ok: false; fieldErrors: Record<string, string>; formError: string | null };
  /** Where to go on success. */
  to: string;
  /** On failure: the item whose form failed, and what to put back into the form. */
  itemId?: string;
  values?: Record<string, string>;
}

/** A 404 from the API (the share or item is gone already) counts as done for revoke and remove. */
async function alreadyGoneIsDone<T>(run: () => Promise<T>, done: T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Response && error.status === 404) return done;
    throw error;
  }
}

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const collectionId = collectionGlobalId(args.params.id);
    if (!collectionId) throw notFound(args.request, session.headers);
    const parsed = parseCollectionAction(await args.request.formData());
    if (!parsed.ok) {
      const { intent, itemId, values, errors } = parsed;
      return json({ intent, itemId, values, errors }, { status: 400, headers: session.headers });
    }
    const api = createApi(session, args.request);
    const ok = { ok: true } as const;

    const run = async (action: CollectionAction): Promise<Outcome> => {
      switch (action.intent) {
        case 'update':
          return {
            result: await api.mutate(UpdateCollectionMutation, { input: { id: collectionId, ...action.input } }),
            to: backTo(args.request, 'updated'),
            values: { ...action.values },
          };
        case 'delete':
          return {
            result: await api.mutate(DeleteCollectionMutation, { input: { id: collectionId } }),
            to: '/app/collections?notice=deleted',
          };
        case 'share':
        case 'change-permission': {
          const email = action.email.toLowerCase();
          return {
            // The same call, and on success the same notice, whether or not the address has an account.
            result: await api.mutate(ShareCollectionMutation, {
              input: { collectionId, email, permission: action.permission },
            }),
            to: backTo(args.request, action.intent === 'share' ? 'shared' : 'permission', email),
            values: { email: action.email, permission: action.permission },
          };
        }
        case 'revoke':
          return {
            result: await alreadyGoneIsDone<Outcome['result']>(
              () => api.mutate(RevokeCollectionShareMutation, { input: { collectionId, email: action.email } }),
              ok,
            ),
            to: backTo(args.request, 'revoked', action.email.toLowerCase()),
            values: { email: action.email },
          };
        case 'add-item':
          return {
            result: await api.mutate(AddCollectionItemMutation, { input: { collectionId, ...action.input } }),
            to: backTo(args.request, 'item-added'),
            values: { listingId: String(action.input.listingId), note: action.input.note ?? '' },
          };
        case 'remove-item':
          return {
            result: await alreadyGoneIsDone<Outcome['result']>(
              () => api.mutate(RemoveCollectionItemMutation, { input: { itemId: action.itemId } }),
              ok,
            ),
            to: backTo(args.request, 'item-removed'),
            itemId: action.itemId,
          };
        case 'update-note':
          return {
            result: await api.mutate(UpdateCollectionItemMutation, { input: action.input }),
            to: backTo(args.request, 'note-saved'),
            itemId: String(action.input.itemId),
            values: { note: action.input.note ?? '' },
          };
        case 'move-item':
          return {
            result: await api.mutate(MoveCollectionItemMutation, { input: action.input }),
            to: backTo(args.request, 'moved'),
            itemId: String(action.input.itemId),
          };
      }
    };

    const outcome = await run(parsed.action);
    if (outcome.result.ok) return redirect(outcome.to, { headers: session.headers });
    const { fieldErrors, formError } = outcome.result;
    // The form that failed shows its errors (move-up and move-down are both "move-item").
    return json(
      {
        intent: parsed.action.intent as string,
        itemId: outcome.itemId ?? null,
        values: outcome.values ?? {},
        errors: { ...fieldErrors, ...(formError ? { form: formError } : {}) } as Partial<Record<string, string>>,
      },
      { status: 400, headers: session.headers },
    );
  });

type ActionErrors = Partial<Record<string, string>>;

function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
      {children}
    </p>
  );
}

function InlineError({ message, testId }: { message: string | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="mt-2 text-sm text-red-700" data-testid={testId}>
      {message}
    </p>
  );
}

const smallButton =
  'inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm ' +
  'font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50';
const smallDangerButton =
  'inline-flex items-center justify-center rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm ' +
  'font-medium text-red-700 hover:bg-red-50';
const disclosureClass = 'mt-6 rounded-lg border border-slate-200 bg-white';
const summaryClass =
  'cursor-pointer select-none rounded-lg px-4 py-3 font-semibold text-slate-900 hover:bg-slate-50 sm:px-6';

export default function CollectionPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const { collection, items, canEditItems, isOwner, shares, addable, permissions } = data;
  const failed = (intent: string, itemId: string | null = null): ActionErrors =>
    actionData && actionData.intent === intent && actionData.itemId === itemId ? actionData.errors : {};
  const failedValues = (intent: string): Partial<Record<string, string>> =>
    actionData && actionData.intent === intent ? actionData.values : {};
  const shareIntents = ['share', 'change-permission', 'revoke'];
  const shareOpen =
    (actionData ? shareIntents.includes(actionData.intent) : false) ||
    /[?&]notice=(shared|permission|revoked)(&|$)/.test(location.search);
  const lastPosition = collection.itemCount - 1;
  const { pageInfo, paged } = data.itemsPage;
  const searchParams = new URLSearchParams(location.search);

  return (
    // Forms remount after each navigation (the key), so a field shows the saved value, not the typed one.
    <div key={location.key}>
      <p className="text-sm">
        <Link to="/app/collections" className="font-medium text-indigo-700 underline">
          ← Collections
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold" data-testid="collection-name">
            {collection.name}
          </h1>
          {collection.description ? (
            <p className="mt-1 max-w-3xl text-slate-700" data-testid="collection-description">
              {collection.description}
            </p>
          ) : null}
          <p className="mt-2 text-sm text-slate-600" data-testid="collection-meta">
            {collection.itemCount === 1 ? '1 listing' : `${collection.itemCount} listings`}
            {isOwner ? ' · Yours' : ` · Shared with you by ${collection.ownerName ?? 'another user'}`}
            {' · '}
            <span data-testid="viewer-permission">
              {isOwner ? 'You can edit, share and delete it' : canEditItems ? 'You can edit its items' : 'View only'}
            </span>
          </p>
        </div>
      </div>

      {data.notice ? <Notice>{data.notice}</Notice> : null}

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
            {items.map((item) => {
              const errors = {
                ...failed('update-note', item.id),
                ...failed('move-item', item.id),
                ...failed('remove-item', item.id),
              };
              const noteId = `item-note-${item.position}`;
              const title = item.listing.title;
              return (
                <li
                  key={item.id}
                  className="rounded-lg border border-slate-200 bg-white p-4 sm:p-5"
                  data-testid="collection-item"
                >
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
                      {item.listing.price}
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
                            maxLength={1000}
                            defaultValue={
                              failed('update-note', item.id).note
                                ? (failedValues('update-note').note ?? '')
                                : (item.note ?? '')
                            }
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
                        <Form method="post">
                          <input type="hidden" name="itemId" value={item.id} />
                          <button
                            type="submit"
                            name="intent"
                            value="remove-item"
                            className={smallDangerButton}
                            disabled={busy}
                          >
                            Remove<span className="sr-only"> {title}</span>
                          </button>
                        </Form>
                      </div>
                    </div>
                  )}
                  <InlineError
                    message={errors.note ?? errors.position ?? errors.itemId ?? errors.form}
                    testId="item-error"
                  />
                </li>
              );
            })}
          </ol>
        )}
        <ItemsPagination search={searchParams} paged={paged} pageInfo={pageInfo} />
      </section>

      {canEditItems ? (
        <AddListing
          addable={addable}
          ownListingCount={data.ownListingCount}
          errors={failed('add-item')}
          values={failedValues('add-item')}
          busy={busy}
        />
      ) : null}

      {isOwner ? (
        <>
          <ShareSection
            open={shareOpen}
            shares={shares}
            permissions={permissions}
            errors={failed('share')}
            rowErrors={
              actionData && (actionData.intent === 'change-permission' || actionData.intent === 'revoke')
                ? actionData
                : null
            }
            values={failedValues('share')}
            busy={busy}
          />
          <SettingsSection
            name={collection.name}
            description={collection.description}
            errors={failed('update')}
            values={failedValues('update')}
            busy={busy}
          />
          <DeleteSection name={collection.name} errors={failed('delete')} busy={busy} />
        </>
      ) : null}
    </div>
  );
}

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
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

function AddListing({
  addable,
  ownListingCount,
  errors,
  values,
  busy,
}: {
  addable: { id: string; label: string }[];
  ownListingCount: number;
  errors: ActionErrors;
  values: Partial<Record<string, string>>;
  busy: boolean;
}) {
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <details className={disclosureClass} open={hasErrors} data-testid="add-listing">
      <summary className={summaryClass}>Add a listing</summary>
      <div className="border-t border-slate-200 p-4 sm:p-6">
        <p
          className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
          data-testid="add-warning"
        >
          Everyone who can see this collection will be able to see this listing.
        </p>
        {addable.length === 0 ? (
          <p className="mt-4 text-sm text-slate-700" data-testid="nothing-to-add">
            {ownListingCount === 0
              ? 'You have no listings yet. '
              : 'All your listings are already in this collection. '}
            <Link to="/app/listings/new" className="font-medium text-indigo-700 underline">
              Add a listing to your list
            </Link>
            {' first.'}
          </p>
        ) : (
          <Form method="post" noValidate className="mt-4 space-y-4">
            <FormErrors message={errors.form ?? null} />
            <SelectField
              name="listingId"
              label="Listing"
              required
              defaultValue={values.listingId ?? ''}
              error={errors.listingId}
            >
              <option value="">Choose one of your listings</option>
              {addable.map((listing) => (
                <option key={listing.id} value={listing.id}>
                  {listing.label}
                </option>
              ))}
            </SelectField>
            <TextAreaField
              name="note"
              label="Note (optional)"
              rows={2}
              maxLength={1000}
              defaultValue={values.note ?? ''}
              error={errors.note}
            />
            <button type="submit" name="intent" value="add-item" className={buttonClass} disabled={busy}>
              Add to collection
            </button>
          </Form>
        )}
      </div>
    </details>
  );
}

interface Share {
  id: string;
  email: string;
  permission: string;
}

function ShareSection({
  open,
  shares,
  permissions,
  errors,
  rowErrors,
  values,
  busy,
}: {
  open: boolean;
  shares: Share[];
  permissions: { value: string; label: string }[];
  errors: ActionErrors;
  rowErrors: { intent: string; values: Partial<Record<string, string>>; errors: ActionErrors } | null;
  values: Partial<Record<string, string>>;
  busy: boolean;
}) {
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <details className={disclosureClass} open={open || hasErrors} data-testid="share-section">
      <summary className={summaryClass}>Share this collection</summary>
      <div className="border-t border-slate-200 p-4 sm:p-6">
        <p className="text-sm text-slate-600">
          People you share with see this collection and its listings. With Edit they can also add, remove and reorder
          listings and edit notes. Only you can share, rename or delete it.
        </p>
        <Form method="post" noValidate className="mt-4 space-y-4" aria-label="Share with someone new">
          <FormErrors message={errors.form ?? null} />
          <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
            <TextField
              name="email"
              label="Email address"
              type="email"
              inputMode="email"
              autoComplete="off"
              required
              maxLength={320}
              defaultValue={values.email ?? ''}
              error={errors.email}
            />
            <SelectField
              name="permission"
              label="Permission"
              defaultValue={values.permission ?? 'VIEW'}
              error={errors.permission}
            >
              {permissions.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </SelectField>
          </div>
          <button type="submit" name="intent" value="share" className={buttonClass} disabled={busy}>
            Share
          </button>
        </Form>

        <h3 className="mt-8 font-semibold">Shared with</h3>
        {shares.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600" data-testid="shares-empty">
            Nobody yet.
          </p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="shares">
            {shares.map((share, index) => {
              const selectId = `share-permission-${index}`;
              const mine = rowErrors && rowErrors.values.email?.toLowerCase() === share.email ? rowErrors.errors : {};
              return (
                <li key={share.id} className="p-3" data-testid="share-row">
                  <div className="flex flex-wrap items-center justify-between gap-3">
                    <span className="break-all font-medium" data-testid="share-email">
                      {share.email}
                    </span>
                    <div className="flex flex-wrap items-end gap-2">
                      <Form method="post" className="flex items-end gap-2">
                        <input type="hidden" name="email" value={share.email} />
                        <div>
                          <label htmlFor={selectId} className="block text-xs font-medium text-slate-700">
                            Permission<span className="sr-only"> for {share.email}</span>
                          </label>
                          <select
                            id={selectId}
                            name="permission"
                            defaultValue={share.permission}
                            className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
                          >
                            {permissions.map((option) => (
                              <option key={option.value} value={option.value}>
                                {option.label}
                              </option>
                            ))}
                          </select>
                        </div>
                        <button
                          type="submit"
                          name="intent"
                          value="change-permission"
                          className={smallButton}
                          disabled={busy}
                        >
                          Change<span className="sr-only"> permission for {share.email}</span>
                        </button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="email" value={share.email} />
                        <button
                          type="submit"
                          name="intent"
                          value="revoke"
                          className={smallDangerButton}
                          disabled={busy}
                        >
                          Revoke<span className="sr-only"> access for {share.email}</span>
                        </button>
                      </Form>
                    </div>
                  </div>
                  <InlineError message={mine.form ?? mine.email ?? mine.permission} testId="share-row-error" />
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </details>
  );
}

function SettingsSection({
  name,
  description,
  errors,
  values,
  busy,
}: {
  name: string;
  description: string | null;
  errors: ActionErrors;
  values: Partial<Record<string, string>>;
  busy: boolean;
}) {
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <details className={disclosureClass} open={hasErrors} data-testid="rename-section">
      <summary className={summaryClass}>Rename or describe</summary>
      <Form method="post" noValidate className="space-y-4 border-t border-slate-200 p-4 sm:p-6">
        <FormErrors message={errors.form ?? null} />
        <TextField
          name="name"
          label="Name"
          required
          maxLength={100}
          defaultValue={hasErrors ? (values.name ?? '') : name}
          error={errors.name}
        />
        <TextAreaField
          name="description"
          label="Description (optional)"
          rows={2}
          maxLength={1000}
          defaultValue={hasErrors ? (values.description ?? '') : (description ?? '')}
          error={errors.description}
        />
        <button type="submit" name="intent" value="update" className={buttonClass} disabled={busy}>
          Save
        </button>
      </Form>
    </details>
  );
}

/** Deleting takes a second, deliberate click inside the disclosure; no JavaScript needed. */
function DeleteSection({ name, errors, busy }: { name: string; errors: ActionErrors; busy: boolean }) {
  return (
    <details className={`${disclosureClass} border-red-200`} data-testid="delete-section">
      <summary className={`${summaryClass} text-red-800`}>Delete this collection</summary>
      <div className="border-t border-red-200 p-4 sm:p-6">
        <p className="text-sm text-slate-700">
          <strong>{name}</strong> will be deleted with its notes and shares. The listings themselves stay in their
          owners&apos; lists. This cannot be undone.
        </p>
        <FormErrors message={errors.form ?? null} />
        <Form method="post" className="mt-4 flex flex-wrap gap-3">
          <button
            type="submit"
            name="intent"
            value="delete"
            disabled={busy}
            className="inline-flex items-center rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-600"
          >
            Delete collection
          </button>
        </Form>
      </div>
    </details>
  );
}
