import { COLLECTION_LIMITS } from '@deal-brain/shared/field-limits';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { DataTable, type Column } from '~/components/data-table';
import { FormErrors, TextAreaField, TextField, buttonClass } from '~/components/fields';
import { Pagination } from '~/components/pagination';
import { createApi } from '~/graphql/client.server';
import { CollectionsQuery, CreateCollectionMutation } from '~/graphql/collections.server';
import { PERMISSION_LABELS, collectionNotice, collectionPath, parseCollectionForm } from '~/lib/collection-form.server';
import { guarded } from '~/lib/guard.server';
import { pageSize } from '~/lib/listing-form.server';

export const meta: MetaFunction = () => [{ title: 'Collections · Deal Brain' }];

/** Each list pages on its own: `after`/`before` for yours, `sharedAfter`/`sharedBefore` for the shared. */
function pageVariables(params: URLSearchParams, size: number, prefix: '' | 'shared') {
  const key = (name: 'after' | 'before') => (prefix ? `${prefix}${name[0]!.toUpperCase()}${name.slice(1)}` : name);
  const after = params.get(key('after'));
  const before = params.get(key('before'));
  return { paged: Boolean(after || before), variables: before ? { last: size, before } : { first: size, after } };
}

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const params = new URL(args.request.url).searchParams;
    const size = pageSize(params.get('size'));
    const own = pageVariables(params, size, '');
    const shared = pageVariables(params, size, 'shared');
    const data = await createApi(session, args.request).query(CollectionsQuery, {
      ...own.variables,
      sharedFirst: shared.variables.first,
      sharedAfter: shared.variables.after,
      sharedLast: shared.variables.last,
      sharedBefore: shared.variables.before,
    });
    return json(
      {
        notice: collectionNotice(params.get('notice'), null),
        own: {
          paged: own.paged,
          totalCount: data.collections.totalCount,
          pageInfo: data.collections.pageInfo,
          collections: data.collections.edges.map(({ node }) => ({ ...node, path: collectionPath(node.id) })),
        },
        shared: {
          paged: shared.paged,
          totalCount: data.sharedCollections.totalCount,
          pageInfo: data.sharedCollections.pageInfo,
          collections: data.sharedCollections.edges.map(({ node }) => ({
            ...node,
            path: collectionPath(node.id),
            permissionLabel: PERMISSION_LABELS[node.viewerPermission] ?? node.viewerPermission,
          })),
        },
      },
      { headers: session.headers },
    );
  });

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const { values, input } = parseCollectionForm(await args.request.formData());
    const result = await createApi(session, args.request).mutate(CreateCollectionMutation, { input });
    if (!result.ok) {
      const errors = { ...result.fieldErrors, ...(result.formError ? { form: result.formError } : {}) };
      return json({ values, errors }, { status: 400, headers: session.headers });
    }
    return redirect(`${collectionPath(result.data.createCollection.collection.id)}?notice=created`, {
      headers: session.headers,
    });
  });

const OWN_COLUMNS: Column[] = [{ label: 'Name' }, { label: 'Description' }, { label: 'Items', numeric: true }];
const SHARED_COLUMNS: Column[] = [
  { label: 'Name' },
  { label: 'Owner' },
  { label: 'Your permission' },
  { label: 'Items', numeric: true },
];

function count(total: number, one: string, many: string): string {
  return total === 1 ? `1 ${one}` : `${total} ${many}`;
}

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
}

/** The pagination links of one list; the other list's cursor stays in the URL. */
function ListPagination({
  params,
  prefix,
  paged,
  pageInfo,
}: {
  params: URLSearchParams;
  prefix: '' | 'shared';
  paged: boolean;
  pageInfo: PageInfo;
}) {
  const afterKey = prefix ? 'sharedAfter' : 'after';
  const beforeKey = prefix ? 'sharedBefore' : 'before';
  const link = (key: string, cursor: string) => {
    const next = new URLSearchParams(params);
    next.delete('notice');
    next.delete(afterKey);
    next.delete(beforeKey);
    next.set(key, cursor);
    return `/app/collections?${next.toString()}`;
  };
  return (
    <Pagination
      previous={
        paged && (pageInfo.hasPreviousPage || params.has(afterKey)) && pageInfo.startCursor
          ? { to: link(beforeKey, pageInfo.startCursor), label: '← Newer' }
          : null
      }
      next={
        (pageInfo.hasNextPage || params.has(beforeKey)) && pageInfo.endCursor
          ? { to: link(afterKey, pageInfo.endCursor), label: 'Older →' }
          : null
      }
    />
  );
}

export default function Collections() {
  const { notice, own, shared } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const [params] = useSearchParams();
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  const values = actionData?.values;
  return (
    <div>
      <h1 className="text-2xl font-bold">Collections</h1>
      <p className="mt-1 text-sm text-slate-600">
        Group listings into named lists, add notes, and share them with others by email.
      </p>

      {notice ? (
        <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          {notice}
        </p>
      ) : null}

      <section aria-labelledby="own-title" className="mt-8">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <h2 id="own-title" className="text-xl font-semibold">
              Your collections
            </h2>
            <p className="mt-1 text-sm text-slate-600" data-testid="collection-count">
              {count(own.totalCount, 'collection', 'collections')}
            </p>
          </div>
        </div>
        {own.collections.length === 0 && !own.paged ? (
          <p
            className="mt-4 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600"
            data-testid="own-empty"
          >
            You have no collections yet. Create one below.
          </p>
        ) : (
          <DataTable caption="Your collections, newest first" columns={OWN_COLUMNS} bodyTestId="own-collections">
            {own.collections.map((collection) => (
              <tr key={collection.id} data-testid="collection-row">
                <th scope="row" className="px-4 py-3 text-left font-medium">
                  <Link to={collection.path} className="text-indigo-700 underline">
                    {collection.name}
                  </Link>
                </th>
                <td className="max-w-md px-4 py-3 text-slate-700">{collection.description ?? '—'}</td>
                <td className="px-4 py-3 text-right tabular-nums">{collection.itemCount}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <ListPagination params={params} prefix="" paged={own.paged} pageInfo={own.pageInfo} />

        <Form
          method="post"
          noValidate
          className="mt-6 max-w-2xl space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6"
          aria-labelledby="create-title"
        >
          <h3 id="create-title" className="text-lg font-semibold">
            New collection
          </h3>
          <FormErrors
            message={errors.form ?? (Object.keys(errors).length > 0 ? 'Please correct the fields marked below.' : null)}
          />
          <TextField
            name="name"
            label="Name"
            required
            maxLength={COLLECTION_LIMITS.nameLength}
            defaultValue={values?.name ?? ''}
            error={errors.name}
          />
          <TextAreaField
            name="description"
            label="Description (optional)"
            rows={2}
            maxLength={COLLECTION_LIMITS.descriptionLength}
            defaultValue={values?.description ?? ''}
            error={errors.description}
          />
          <button type="submit" name="intent" value="create" className={buttonClass} disabled={busy}>
            {busy ? 'Creating…' : 'Create collection'}
          </button>
        </Form>
      </section>

      <section aria-labelledby="shared-title" className="mt-10">
        <h2 id="shared-title" className="text-xl font-semibold">
          Shared with me
        </h2>
        <p className="mt-1 text-sm text-slate-600" data-testid="shared-count">
          {count(shared.totalCount, 'collection', 'collections')}
        </p>
        {shared.collections.length === 0 && !shared.paged ? (
          <p
            className="mt-4 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600"
            data-testid="shared-empty"
          >
            Nobody has shared a collection with you yet.
          </p>
        ) : (
          <DataTable
            caption="Collections shared with you, newest first"
            columns={SHARED_COLUMNS}
            bodyTestId="shared-collections"
          >
            {shared.collections.map((collection) => (
              <tr key={collection.id} data-testid="shared-collection-row">
                <th scope="row" className="px-4 py-3 text-left font-medium">
                  <Link to={collection.path} className="text-indigo-700 underline">
                    {collection.name}
                  </Link>
                </th>
                <td className="px-4 py-3 text-slate-700">{collection.ownerName ?? '—'}</td>
                <td className="px-4 py-3">{collection.permissionLabel}</td>
                <td className="px-4 py-3 text-right tabular-nums">{collection.itemCount}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <ListPagination params={params} prefix="shared" paged={shared.paged} pageInfo={shared.pageInfo} />
      </section>
    </div>
  );
}
