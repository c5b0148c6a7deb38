// The audit log's GET form (type, actor, subject, from, to, page) → the `auditEvents` query's variables.
// A field that does not parse is left out of the filter and its message shown beside it, so a hand-edited
// URL still shows a page, never an error page.
import {
  AUDIT_EVENT_FAMILIES,
  AUDIT_EVENT_TYPE_LIST,
  auditEventLabel,
  isAuditEventType,
} from '@deal-brain/shared/audit-event-types';
import type { AuditRow, UserRef } from '~/components/admin-ui';
import type { AdminAuditEventFieldsFragment, AuditEventFilter } from '~/gql/graphql';
import { adminDateTime } from './admin-format.server';
import { fullName, userGlobalId, userPath } from './admin-users.server';
import { expiryFromDate } from './settings-form.server';

/** Rows per page of the audit log. */
export const AUDIT_EVENTS_PER_PAGE = 50;

const FAMILY_LABELS: Record<string, string> = {
  'auth.': 'Sign-ins, sign-outs and failed sign-ins',
  'user.': 'Accounts: creation, profile, role and status',
  'session.': 'Sessions',
  'collection.': 'Collection sharing',
  'api_key.': 'API keys',
  'tenant_settings.': 'Tenant settings',
};

/** The type filter's choices: every family (by prefix), then every exact type. */
export const AUDIT_TYPE_OPTIONS: { group: string; options: { value: string; label: string }[] }[] = [
  {
    group: 'Families',
    options: AUDIT_EVENT_FAMILIES.map((family) => ({
      value: family,
      label: `All: ${FAMILY_LABELS[family] ?? family}`,
    })),
  },
  {
    group: 'Types',
    options: AUDIT_EVENT_TYPE_LIST.map((type) => ({ value: type, label: `${auditEventLabel(type)} (${type})` })),
  },
];

export interface AuditSearchValues {
  type: string;
  actor: string;
  subject: string;
  from: string;
  to: string;
}

export interface AuditSearch {
  values: AuditSearchValues;
  errors: Partial<Record<keyof AuditSearchValues, string>>;
  variables: { first: number; after: string | null; filter: AuditEventFilter };
  paged: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `?type=&actor=<uuid>&subject=<uuid>&from=YYYY-MM-DD&to=YYYY-MM-DD&after=` → the query. `to` is inclusive here. */
export function parseAuditSearch(params: URLSearchParams): AuditSearch {
  const read = (name: keyof AuditSearchValues) => (params.get(name) ?? '').trim();
  const values: AuditSearchValues = {
    type: read('type'),
    actor: read('actor').toLowerCase(),
    subject: read('subject').toLowerCase(),
    from: read('from'),
    to: read('to'),
  };
  const errors: AuditSearch['errors'] = {};
  const filter: AuditEventFilter = {};

  if (values.type) {
    if (isAuditEventType(values.type) || AUDIT_EVENT_FAMILIES.includes(values.type)) filter.type = values.type;
    else errors.type = 'Choose a type from the list.';
  }
  for (const field of ['actor', 'subject'] as const) {
    if (!values[field]) continue;
    const id = userGlobalId(values[field]);
    if (id) filter[field === 'actor' ? 'actorId' : 'subjectId'] = id;
    else errors[field] = 'Enter a user id, like 0b6c3d1e-7a2f-4c3b-9d8e-1f2a3b4c5d6e.';
  }
  if (values.from) {
    const from = expiryFromDate(values.from);
    if (from) filter.from = from;
    else errors.from = 'Enter a date, like 2026-12-01.';
  }
  if (values.to) {
    const to = expiryFromDate(values.to);
    // The whole day is included: events before the next day's midnight (UTC).
    if (to) filter.to = new Date(Date.parse(to) + DAY_MS).toISOString();
    else errors.to = 'Enter a date, like 2026-12-31.';
  }
  if (filter.from && filter.to && filter.from >= filter.to) {
    errors.to = 'The end date must not be before the start date.';
    delete filter.to;
  }
  const after = params.get('after');
  return {
    values,
    errors,
    variables: { first: AUDIT_EVENTS_PER_PAGE, after: after || null, filter },
    paged: Boolean(after),
  };
}

/** `/admin/audit?…` with the filter's values (empty ones left out) and, optionally, a page cursor. */
export function auditPath(values: Partial<AuditSearchValues>, after?: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  if (after) params.set('after', after);
  const query = params.toString();
  return query ? `/admin/audit?${query}` : '/admin/audit';
}

type EventUser = { id: string; email?: string | null; firstName?: string | null; lastName?: string | null };

/** A user an event names, as the table shows them; null when there is none (or RLS hides them). */
export function userRef(user: EventUser | null | undefined): UserRef | null {
  if (!user) return null;
  return { label: fullName(user) ?? user.email ?? 'Unnamed user', path: userPath(user.id) };
}

/** An audit event → a row of the table. */
export function auditRow(
  event: Omit<AdminAuditEventFieldsFragment, 'subject' | '__typename'> & {
    subject?: AdminAuditEventFieldsFragment['subject'];
  },
): AuditRow {
  return {
    id: event.id,
    when: adminDateTime(event.createdAt),
    type: event.type,
    label: auditEventLabel(event.type),
    actor: userRef(event.actor),
    subject: userRef(event.subject),
    ip: event.ip ?? null,
    userAgent: event.userAgent ?? null,
    count: event.count,
    reason: event.reason ?? null,
  };
}
