import { describe, expect, it } from 'vitest';
import { auditEventFilterSchema, auditEventWhere } from './audit-filter.js';

const user = (id: string) => ({ typename: 'User', id });

describe('the audit log filter', () => {
  it('turns an exact type, a family prefix, ids and a time range into one condition', () => {
    const from = new Date('2030-01-01T00:00:00Z');
    const to = new Date('2030-02-01T00:00:00Z');
    const parsed = auditEventFilterSchema.parse({
      type: ' api_key. ',
      actorId: user('a'),
      subjectId: user('s'),
      from,
      to,
    });
    expect(auditEventWhere(parsed)).toEqual({
      type: { startsWith: 'api_key.' },
      actorId: 'a',
      subjectUserId: 's',
      createdAt: { gte: from, lt: to },
    });
    expect(auditEventWhere(auditEventFilterSchema.parse({ type: 'user.role_changed' }))).toEqual({
      type: 'user.role_changed',
    });
  });

  it('filters nothing when empty, blank or absent', () => {
    expect(auditEventWhere(undefined)).toEqual({});
    expect(auditEventWhere(auditEventFilterSchema.parse({ type: '   ' }))).toEqual({});
    expect(auditEventWhere(auditEventFilterSchema.parse({ from: new Date(0) }))).toEqual({
      createdAt: { gte: new Date(0) },
    });
  });

  it('refuses ids of other types, a reversed or empty range, and types that are not types', () => {
    const paths = (input: unknown) =>
      auditEventFilterSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ actorId: { typename: 'Listing', id: 'x' } })).toEqual(['actorId']);
    expect(paths({ subjectId: { typename: 'AuditEvent', id: 'x' } })).toEqual(['subjectId']);
    const at = new Date('2030-01-01T00:00:00Z');
    expect(paths({ from: at, to: at })).toEqual(['to']);
    expect(paths({ from: new Date(at.getTime() + 1), to: at })).toEqual(['to']);
    for (const type of ['user', 'User.deleted', "x.y'; --", '.', 'a..b', 'x'.repeat(101)]) {
      expect(paths({ type }), type).toEqual(['type']);
    }
  });
});
