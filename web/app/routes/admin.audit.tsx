import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { AuditTable } from '~/components/admin-ui';
import { Field, TextField, buttonClass } from '~/components/fields';
import { Pagination } from '~/components/pagination';
import { AuditEventsQuery } from '~/graphql/admin.server';
import { createApi } from '~/graphql/client.server';
import { AUDIT_TYPE_OPTIONS, auditPath, auditRow, parseAuditSearch } from '~/lib/admin-audit.server';
import { guarded } from '~/lib/guard.server';

export const meta: MetaFunction = () => [{ title: 'Audit log · Admin · Deal Brain' }];

/** Admins only: the layout (routes/admin.tsx) shows anyone else the 403 page, and the API refuses them too. */
export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const search = parseAuditSearch(new URL(args.request.url).searchParams);
    const { auditEvents } = await createApi(session, args.request).query(AuditEventsQuery, search.variables);
    const { pageInfo } = auditEvents;
    return json(
      {
        values: search.values,
        errors: search.errors,
        rows: auditEvents.edges.map(({ node }) => auditRow(node)),
        filtered: auditPath(search.values) !== '/admin/audit',
        first: search.paged ? auditPath(search.values) : null,
        next: pageInfo.hasNextPage && pageInfo.endCursor ? auditPath(search.values, pageInfo.endCursor) : null,
        typeOptions: AUDIT_TYPE_OPTIONS,
      },
      { headers: session.headers },
    );
  });

export default function AdminAudit() {
  const data = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="text-2xl font-bold">Audit log</h1>
      <p className="mt-1 text-sm text-slate-600">
        What happened, newest first: sign-ins, failed sign-ins, key events, role, status and settings changes.
      </p>

      <Form
        method="get"
        role="search"
        aria-label="Filter events"
        className="mt-4 grid gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3"
      >
        <Field name="type" label="Event type" error={data.errors.type}>
          {(props) => (
            <select
              name="type"
              defaultValue={data.values.type}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm"
              {...props}
            >
              <option value="">All events</option>
              {data.typeOptions.map((group) => (
                <optgroup key={group.group} label={group.group}>
                  {group.options.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
        <TextField
          name="actor"
          label="Actor (user id)"
          defaultValue={data.values.actor}
          error={data.errors.actor}
          spellCheck={false}
          autoComplete="off"
        />
        <TextField
          name="subject"
          label="Subject (user id)"
          defaultValue={data.values.subject}
          error={data.errors.subject}
          spellCheck={false}
          autoComplete="off"
        />
        <TextField
          name="from"
          label="From (UTC day)"
          type="date"
          defaultValue={data.values.from}
          error={data.errors.from}
        />
        <TextField
          name="to"
          label="To (UTC day, included)"
          type="date"
          defaultValue={data.values.to}
          error={data.errors.to}
        />
        <div className="flex items-end gap-3">
          <button type="submit" className={buttonClass}>
            Filter
          </button>
          {data.filtered ? (
            <Link to="/admin/audit" className="pb-2 text-sm font-medium text-slate-700 underline">
              Clear
            </Link>
          ) : null}
        </div>
      </Form>

      <AuditTable rows={data.rows} caption="Audit events, newest first" />
      <Pagination
        previous={data.first ? { to: data.first, label: '← Newest' } : null}
        next={data.next ? { to: data.next, label: 'Older →' } : null}
      />
    </div>
  );
}
