import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { AddListing } from '~/components/collection-add-listing';
import { CollectionHeader } from '~/components/collection-header';
import { CollectionItems } from '~/components/collection-items';
import { DeleteSection, SettingsSection } from '~/components/collection-settings';
import { ShareSection } from '~/components/collection-share';
import { Notice, type ActionErrors, type FormValues } from '~/components/collection-ui';
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

    let addable: { id: string; title: string; price: string }[] = [];
    let ownListingCount = 0;
    if (canEditItems) {
      const { listings } = await api.query(AddableListingsQuery, {});
      const inCollection = new Set(items.map((item) => item.listing.id));
      ownListingCount = listings.totalCount;
      addable = listings.edges
        .filter(({ node: listing }) => !inCollection.has(listing.id))
        .map(({ node: listing }) => ({ id: listing.id, title: listing.title, price: listing.price }));
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

export default function CollectionPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const { collection, items, canEditItems, isOwner, shares, addable, permissions } = data;
  const failed = (intent: string, itemId: string | null = null): ActionErrors =>
    actionData && actionData.intent === intent && actionData.itemId === itemId ? actionData.errors : {};
  const failedValues = (intent: string): FormValues =>
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
      <CollectionHeader
        name={collection.name}
        description={collection.description}
        ownerName={collection.ownerName}
        itemCount={collection.itemCount}
        isOwner={isOwner}
        canEditItems={canEditItems}
      />

      {data.notice ? <Notice>{data.notice}</Notice> : null}

      <CollectionItems
        items={items}
        canEditItems={canEditItems}
        isOwner={isOwner}
        lastPosition={lastPosition}
        paged={paged}
        pageInfo={pageInfo}
        search={searchParams}
        busy={busy}
        failed={failed}
        failedValues={failedValues}
      />

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
