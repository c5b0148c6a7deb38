// Pieces the admin pages share: role and status badges, a user's name as a link, and the audit events table.
import { Link } from '@remix-run/react';
import { DataTable, type Column } from './data-table';
import { Badge } from './settings-ui';

export function RoleBadge({ role }: { role: string }) {
  return role === 'ADMIN' ? (
    <Badge tone="indigo" testId="role">
      Admin
    </Badge>
  ) : (
    <Badge tone="slate" testId="role">
      User
    </Badge>
  );
}

export function StatusBadge({ status }: { status: string }) {
  if (status === 'DELETED')
    return (
      <Badge tone="slate" testId="status">
        Deleted
      </Badge>
    );
  if (status === 'DEACTIVATED')
    return (
      <Badge tone="red" testId="status">
        Deactivated
      </Badge>
    );
  return (
    <Badge tone="green" testId="status">
      Active
    </Badge>
  );
}

/** A user as a row shows them: their name (or email) linking to their detail page. */
export interface UserRef {
  label: string;
  path: string | null;
}

export function UserLink({ user }: { user: UserRef | null }) {
  if (!user) return <span className="text-slate-500">—</span>;
  if (!user.path) return <span>{user.label}</span>;
  return (
    <Link to={user.path} className="font-medium text-indigo-700 underline">
      {user.label}
    </Link>
  );
}

export interface AuditRow {
  id: string;
  when: string;
  type: string;
  label: string;
  actor: UserRef | null;
  subject: UserRef | null;
  ip: string | null;
  userAgent: string | null;
  count: number;
  reason: string | null;
}

const AUDIT_COLUMNS: Column[] = [
  { label: 'When' },
  { label: 'Event' },
  { label: 'Actor' },
  { label: 'Subject' },
  { label: 'Address' },
  { label: 'Count', numeric: true },
  { label: 'Reason' },
];

/** Audit events, newest first; without the subject column on a page about one user. */
export function AuditTable({
  rows,
  caption,
  showSubject = true,
}: {
  rows: AuditRow[];
  caption: string;
  showSubject?: boolean;
}) {
  if (rows.length === 0) {
    return (
      <p className="mt-4 text-sm text-slate-600" data-testid="audit-empty">
        No events.
      </p>
    );
  }
  return (
    <DataTable
      caption={caption}
      columns={showSubject ? AUDIT_COLUMNS : AUDIT_COLUMNS.filter((column) => column.label !== 'Subject')}
      bodyTestId="audit-events"
    >
      {rows.map((row) => (
        <tr key={row.id} data-testid="audit-event" data-type={row.type}>
          <th scope="row" className="whitespace-nowrap px-4 py-3 text-left font-normal text-slate-700">
            {row.when}
          </th>
          <td className="px-4 py-3">
            <span className="font-medium">{row.label}</span>
            <span className="block text-xs text-slate-500">{row.type}</span>
          </td>
          <td className="px-4 py-3">
            <UserLink user={row.actor} />
          </td>
          {showSubject ? (
            <td className="px-4 py-3">
              <UserLink user={row.subject} />
            </td>
          ) : null}
          <td className="px-4 py-3">
            {row.ip ?? '—'}
            {row.userAgent ? (
              <span className="block max-w-56 truncate text-xs text-slate-500" title={row.userAgent}>
                {row.userAgent}
              </span>
            ) : null}
          </td>
          <td className="px-4 py-3 text-right tabular-nums">{row.count}</td>
          <td className="max-w-64 px-4 py-3 break-words" data-testid="audit-reason">
            {row.reason ?? '—'}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
