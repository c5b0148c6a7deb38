// The admin users list in SQL: search, filters, the two orders and keyset pages. Pure builders of
// Prisma.Sql (no database here), so the rules are unit-tested and the query runs as the viewer's RLS
// client (app_admin sees every row through its own policy).
//
// Pages are cut with keyset pagination on (k, id), where k is the order's key, so paging through any
// order neither skips nor repeats a user. Prisma's own cursor cannot do this for last_sign_in_at, which
// is NULL for users who never signed in: a NULL never compares. Here k maps NULL to the end of the order
// in either direction (-infinity descending, +infinity ascending), so never-signed-in users come last,
// ordered by id among themselves.
import { parsePrismaCursor } from '@pothos/plugin-prisma';
import { z } from 'zod';
import { Prisma } from '#src/generated/prisma/client.js';
import type { Role } from '#src/generated/prisma/client.js';

export type UserOrderField = 'CREATED_AT' | 'LAST_SIGN_IN_AT';
export type OrderDirection = 'ASC' | 'DESC';

export interface UserListFilter {
  /** Trimmed; empty or absent: no search. */
  search?: string | null | undefined;
  role?: Role | null | undefined;
  active?: boolean | null | undefined;
  deleted?: boolean | null | undefined;
}

export interface UserListOrder {
  field: UserOrderField;
  direction: OrderDirection;
}

export const DEFAULT_USER_ORDER: UserListOrder = { field: 'CREATED_AT', direction: 'DESC' };

/**
 * `text` as an ILIKE pattern that matches it anywhere, literally: the user's text is never a pattern, so
 * `%`, `_` and the escape character itself are escaped (PostgreSQL's default LIKE escape is `\`).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The WHERE clause of the filtered set (always true when nothing filters). */
export function userListWhere(filter: UserListFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  const search = filter.search?.trim();
  if (search) {
    const pattern = containsPattern(search);
    conditions.push(Prisma.sql`(u.email ILIKE ${pattern} OR u.first_name ILIKE ${pattern}
      OR u.last_name ILIKE ${pattern} OR concat_ws(' ', u.first_name, u.last_name) ILIKE ${pattern})`);
  }
  if (filter.role) conditions.push(Prisma.sql`u.role = ${filter.role}::"Role"`);
  if (typeof filter.active === 'boolean') conditions.push(Prisma.sql`u.active = ${filter.active}`);
  if (filter.deleted === true) conditions.push(Prisma.sql`u.deleted_at IS NOT NULL`);
  if (filter.deleted === false) conditions.push(Prisma.sql`u.deleted_at IS NULL`);
  return conditions.length === 0 ? Prisma.sql`TRUE` : Prisma.join(conditions, ' AND ');
}

/** The order's key of the row aliased `alias`: never NULL, never-signed-in users at the end. */
function keyOf(alias: 'u' | 'c', { field, direction }: UserListOrder): Prisma.Sql {
  const table = Prisma.raw(alias);
  if (field === 'CREATED_AT') return Prisma.sql`${table}.created_at`;
  const end = Prisma.raw(direction === 'DESC' ? `'-infinity'::timestamptz` : `'infinity'::timestamptz`);
  return Prisma.sql`coalesce(${table}.last_sign_in_at, ${end})`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `cursor` is one this list gives out: a user's id (a UUID) in Pothos's cursor encoding. */
export function isUserCursor(cursor: string): boolean {
  try {
    const id = parsePrismaCursor(cursor);
    return typeof id === 'string' && UUID.test(id);
  } catch {
    return false;
  }
}

const cursorArg = z.string().refine(isUserCursor, 'Not a cursor of this list').nullish();

/**
 * The list's cursors, checked before Pothos decodes them: anything else (garbage, another list's cursor,
 * an id that is not a UUID) is BAD_USER_INPUT on `after` or `before`, never an error from SQL.
 */
export const userListArgsSchema = z.looseObject({ after: cursorArg, before: cursorArg });

/** The slice of the connection Pothos asks for, with Prisma's cursor semantics (take < 0 pages backwards). */
export interface PageQuery {
  take: number;
  /** 1 with a cursor: the cursor row is excluded by the keyset comparison itself. */
  skip: number;
  cursor?: { id?: string } | undefined;
}

/**
 * One page of ids. Prisma's cursor semantics are kept (the cursor row itself is excluded; a negative take
 * reads backwards and the caller gets the rows in page order), so Pothos cuts edges and page info as for
 * any prismaConnection. The cursor's position is read from the users table itself, so a cursor row that
 * no longer matches the filter still marks its place; an unknown cursor gives an empty page.
 */
export function userPageSql(filter: UserListFilter, order: UserListOrder, { take, cursor }: PageQuery): Prisma.Sql {
  const backward = take < 0;
  const descending = (order.direction === 'DESC') !== backward;
  const direction = Prisma.raw(descending ? 'DESC' : 'ASC');
  const beyond = Prisma.raw(descending ? '<' : '>');
  const cursorId = cursor?.id ?? null;
  const after =
    cursorId === null
      ? Prisma.sql`TRUE`
      : Prisma.sql`(${keyOf('u', order)}, u.id) ${beyond} (SELECT ${keyOf('c', order)}, c.id FROM users c WHERE c.id = ${cursorId}::uuid)`;
  return Prisma.sql`SELECT u.id::text AS id FROM users u
    WHERE ${userListWhere(filter)} AND ${after}
    ORDER BY ${keyOf('u', order)} ${direction}, u.id ${direction}
    LIMIT ${Math.abs(take)}`;
}

export function userCountSql(filter: UserListFilter): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS count FROM users u WHERE ${userListWhere(filter)}`;
}

/** Rows in the order of `ids` (findMany with `in` returns them in any order). */
export function inOrderOf<Row extends { id: string }>(ids: string[], rows: Row[]): Row[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
