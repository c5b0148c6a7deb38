import { randomUUID } from 'node:crypto';
import { formatPrismaCursor } from '@pothos/plugin-prisma';
import { describe, expect, it } from 'vitest';
import { auditCursorArgsSchema, eventIdOfCursor } from './audit-cursor.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('eventIdOfCursor', () => {
  it('reads the event id of a cursor the connection issued', () => {
    const id = randomUUID();
    expect(eventIdOfCursor(formatPrismaCursor({ id }, 'id') as string)).toBe(id);
  });

  it('is null for garbage, another encoding, or an id that is not a UUID', () => {
    for (const cursor of [
      '',
      'garbage!!',
      b64('nonsense'),
      b64('GPC:S:not-a-uuid'),
      b64(`GPC:S:${randomUUID()}x`),
      b64('GPC:N:5'),
      b64(`GPC:T:["${randomUUID()}"]`),
    ]) {
      expect(eventIdOfCursor(cursor), cursor).toBeNull();
    }
  });
});

describe('auditCursorArgsSchema', () => {
  it('checks after and before, and passes every other argument through', () => {
    const after = formatPrismaCursor({ id: randomUUID() }, 'id') as string;
    expect(auditCursorArgsSchema.parse({ first: 5, after, filter: { type: 'x.' } })).toEqual({
      first: 5,
      after,
      filter: { type: 'x.' },
    });
    expect(auditCursorArgsSchema.parse({ after: null, before: undefined })).toEqual({ after: null, before: undefined });
    const refused = auditCursorArgsSchema.safeParse({ after: 'nope', before: 'nope' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['after', 'before']);
  });
});
