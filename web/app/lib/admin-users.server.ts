// The admin console's users: the table's GET form (search, role, status, order, page) → the `users`
// query's variables, user ids in URLs, and the detail page's role and status actions. Only shapes are
// checked here; the rules (who may be demoted or deactivated) are the API's, and its messages are shown.
import { ADMIN_LIMITS } from '@deal-brain/shared/field-limits';
import type { OrderDirection, Role, UserFilter, UserOrderField } from '~/gql/graphql';
import { isUserActionIntent, type UserActionIntent } from '~/components/admin-user-actions';
import { formText } from './form-text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The URLs carry a user's raw UUID (`/admin/users/0b6c…`); the API wants base64("User:<uuid>"). */
export function userGlobalId(uuid: string | null | undefined): string | null {
  if (!uuid || !UUID.test(uuid)) return null;
  return Buffer.from(`User:${uuid.toLowerCase()}`, 'utf8').toString('base64');
}

/** The UUID a User global id stands for (for links), or null if it is not one. */
export function userUuid(globalId: string): string | null {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator === -1 || decoded.slice(0, separator) !== 'User') return null;
  const uuid = decoded.slice(separator + 1);
  return UUID.test(uuid) ? uuid.toLowerCase() : null;
}

/** The detail page of a user, by global id; null when the id is not a User's. */
export function userPath(globalId: string): string | null {
  const uuid = userUuid(globalId);
  return uuid ? `/admin/users/${uuid}` : null;
}

export const ROLE_OPTIONS: { value: '' | Role; label: string }[] = [
  { value: '', label: 'Any role' },
  { value: 'ADMIN', label: 'Admins' },
  { value: 'USER', label: 'Users' },
];

/** The status choices; the default (`''`) hides deleted accounts. */
export const STATUS_OPTIONS: { value: string; label: string; filter: Omit<UserFilter, 'role'> }[] = [
  { value: '', label: 'Not deleted', filter: { deleted: false } },
  { value: 'active', label: 'Active', filter: { active: true, deleted: false } },
  { value: 'deactivated', label: 'Deactivated', filter: { active: false, deleted: false } },
  { value: 'deleted', label: 'Deleted', filter: { deleted: true } },
  { value: 'all', label: 'All', filter: {} },
];

export const ORDER_OPTIONS: {
  value: string;
  label: string;
  orderBy: { field: UserOrderField; direction: OrderDirection };
}[] = [
  { value: '', label: 'Newest first', orderBy: { field: 'CREATED_AT', direction: 'DESC' } },
  { value: 'oldest', label: 'Oldest first', orderBy: { field: 'CREATED_AT', direction: 'ASC' } },
  { value: 'last-sign-in', label: 'Last signed in', orderBy: { field: 'LAST_SIGN_IN_AT', direction: 'DESC' } },
];

/** Rows per page of the users table. */
export const USERS_PER_PAGE = 50;

/** What the form shows (as it was sent, normalised) and what the query asks. */
export interface UsersSearch {
  values: { q: string; role: string; status: string; order: string };
  variables: {
    first?: number;
    after?: string;
    last?: number;
    before?: string;
    search: string | null;
    filter: UserFilter;
    orderBy: { field: UserOrderField; direction: OrderDirection };
  };
  /** Whether this is a page other than the first (a "First page" link makes sense). */
  paged: boolean;
}

/**
 * `?q=&role=&status=&order=&after=|before=` → the query. Unknown choices read as their defaults and a
 * search longer than the API's limit is cut to it, so a hand-edited URL still shows a page, never an error.
 */
export function parseUsersSearch(params: URLSearchParams): UsersSearch {
  const q = (params.get('q') ?? '').trim().slice(0, ADMIN_LIMITS.searchLength);
  const role = ROLE_OPTIONS.find((option) => option.value === params.get('role'))?.value ?? '';
  const status = STATUS_OPTIONS.find((option) => option.value === params.get('status')) ?? STATUS_OPTIONS[0]!;
  const order = ORDER_OPTIONS.find((option) => option.value === params.get('order')) ?? ORDER_OPTIONS[0]!;
  const after = params.get('after');
  const before = params.get('before');
  const filter: UserFilter = { ...status.filter, ...(role ? { role } : {}) };
  const page = before
    ? { last: USERS_PER_PAGE, before }
    : after
      ? { first: USERS_PER_PAGE, after }
      : { first: USERS_PER_PAGE };
  return {
    values: { q, role, status: status.value, order: order.value },
    variables: { ...page, search: q || null, filter, orderBy: order.orderBy },
    paged: Boolean(after || before),
  };
}

/** `/admin?…` with the form's values (defaults left out) and, optionally, a page cursor. */
export function usersPath(values: UsersSearch['values'], cursor?: { after: string } | { before: string }): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  if (cursor && 'after' in cursor) params.set('after', cursor.after);
  if (cursor && 'before' in cursor) params.set('before', cursor.before);
  const query = params.toString();
  return query ? `/admin?${query}` : '/admin';
}

export type ParsedUserAction =
  | { ok: true; intent: UserActionIntent; reason: string }
  | { ok: false; intent: UserActionIntent | null; reason: string; errors: { reason?: string; form?: string } };

/** The confirmation form: an intent we know and a reason (required here for all four, 1–500 characters). */
export function parseUserAction(form: FormData): ParsedUserAction {
  const intent = formText(form, 'intent');
  const reason = formText(form, 'reason').trim();
  if (!isUserActionIntent(intent)) {
    return { ok: false, intent: null, reason, errors: { form: 'Unknown action. Reload the page and try again.' } };
  }
  if (!reason) return { ok: false, intent, reason, errors: { reason: 'Give a reason: it is kept in the audit log.' } };
  if (reason.length > ADMIN_LIMITS.reasonLength) {
    return {
      ok: false,
      intent,
      reason,
      errors: { reason: `Keep the reason to ${ADMIN_LIMITS.reasonLength} characters or fewer.` },
    };
  }
  return { ok: true, intent, reason };
}

/** What the users table and the detail page call a user's status. */
export function statusLabel(status: string): string {
  if (status === 'DELETED') return 'Deleted';
  if (status === 'DEACTIVATED') return 'Deactivated';
  return 'Active';
}

export function roleLabel(role: string): string {
  return role === 'ADMIN' ? 'Admin' : 'User';
}

export function fullName(user: { firstName?: string | null; lastName?: string | null }): string | null {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || null;
}
