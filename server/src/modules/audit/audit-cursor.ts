// The audit connections' cursors, checked before Pothos reads them: a cursor is the base64 of
// `GPC:S:<event id>` (plugin-prisma's encoding of the id), and anything else a client sends (garbage, a
// cursor of another connection, an id that is not a UUID) is BAD_USER_INPUT on `after` / `before`, not
// an invalid-UUID error from PostgreSQL (a 500). A well-formed cursor of an unknown or hidden event is an
// empty page, as Prisma's cursor gives.
import { parsePrismaCursor } from '@pothos/plugin-prisma';
import { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The event id a cursor names, decoded exactly as plugin-prisma decodes it; null when it names none. */
export function eventIdOfCursor(cursor: string): string | null {
  let value: unknown;
  try {
    value = parsePrismaCursor(cursor);
  } catch {
    return null;
  }
  return typeof value === 'string' && UUID.test(value) ? value : null;
}

const cursorArg = z
  .string()
  .refine((cursor) => eventIdOfCursor(cursor) !== null, 'Invalid cursor: use a cursor this connection returned')
  .nullish();

/**
 * A field-level `validate.schema` for the audit connections: checks `after` and `before`, passes every
 * other argument through to its own validation.
 */
export const auditCursorArgsSchema = z.looseObject({ after: cursorArg, before: cursorArg });
