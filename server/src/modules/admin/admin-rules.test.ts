import { describe, expect, it } from 'vitest';
import { decideAdminChange, type TargetState } from './admin-rules.js';
import { containsPattern, isUserCursor } from './user-list.js';

const admin = (id: string, over: Partial<TargetState> = {}): TargetState => ({
  id,
  role: 'ADMIN',
  active: true,
  deleted: false,
  ...over,
});
const user = (id: string, over: Partial<TargetState> = {}): TargetState => admin(id, { role: 'USER', ...over });

describe('decideAdminChange', () => {
  it('refuses an admin demoting themselves, even with other admins', () => {
    expect(
      decideAdminChange({
        actorId: 'a',
        target: admin('a'),
        change: { kind: 'role', role: 'USER' },
        activeAdminIds: ['a', 'b'],
      }),
    ).toEqual({ outcome: 'refused', reason: 'self-demotion' });
  });

  it('refuses self-deactivation', () => {
    expect(
      decideAdminChange({
        actorId: 'a',
        target: admin('a'),
        change: { kind: 'active', active: false },
        activeAdminIds: ['a', 'b'],
      }),
    ).toEqual({ outcome: 'refused', reason: 'self-deactivation' });
  });

  it('an admin setting their own role to ADMIN, or reactivating an active user, is a no-op', () => {
    expect(
      decideAdminChange({
        actorId: 'a',
        target: admin('a'),
        change: { kind: 'role', role: 'ADMIN' },
        activeAdminIds: ['a'],
      }),
    ).toEqual({ outcome: 'no-op' });
    expect(
      decideAdminChange({
        actorId: 'a',
        target: user('u'),
        change: { kind: 'active', active: true },
        activeAdminIds: ['a'],
      }),
    ).toEqual({ outcome: 'no-op' });
  });

  it('refuses a change that leaves no active admin (the actor lost the role concurrently)', () => {
    // b was demoted by a's concurrent change; b's request now tries to demote or deactivate a.
    for (const change of [
      { kind: 'role', role: 'USER' },
      { kind: 'active', active: false },
    ] as const) {
      expect(decideAdminChange({ actorId: 'b', target: admin('a'), change, activeAdminIds: ['a'] })).toEqual({
        outcome: 'refused',
        reason: 'last-admin',
      });
    }
  });

  it('demoting an inactive admin does not count against the last active admin', () => {
    expect(
      decideAdminChange({
        actorId: 'a',
        target: admin('x', { active: false }),
        change: { kind: 'role', role: 'USER' },
        activeAdminIds: ['a'],
      }),
    ).toEqual({ outcome: 'apply' });
  });

  it('refuses an actor who is no longer an active admin', () => {
    expect(
      decideAdminChange({
        actorId: 'b',
        target: user('u'),
        change: { kind: 'role', role: 'ADMIN' },
        activeAdminIds: ['a'],
      }),
    ).toEqual({ outcome: 'refused', reason: 'not-admin' });
  });

  it('a deleted target is answered as deleted before anything else', () => {
    expect(
      decideAdminChange({
        actorId: 'a',
        target: user('u', { deleted: true, active: false }),
        change: { kind: 'active', active: false },
        activeAdminIds: ['a'],
      }),
    ).toEqual({ outcome: 'deleted' });
  });

  it('applies ordinary changes', () => {
    expect(
      decideAdminChange({
        actorId: 'a',
        target: admin('b'),
        change: { kind: 'role', role: 'USER' },
        activeAdminIds: ['a', 'b'],
      }),
    ).toEqual({ outcome: 'apply' });
    expect(
      decideAdminChange({
        actorId: 'a',
        target: user('u'),
        change: { kind: 'active', active: false },
        activeAdminIds: ['a'],
      }),
    ).toEqual({ outcome: 'apply' });
  });
});

describe('containsPattern', () => {
  it('matches the text anywhere, with LIKE wildcards and the escape character taken literally', () => {
    expect(containsPattern('bob')).toBe('%bob%');
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});

describe('isUserCursor', () => {
  const cursor = (text: string) => Buffer.from(text).toString('base64');

  it('takes a user id (a UUID) in Pothos’s cursor encoding', () => {
    expect(isUserCursor(cursor('GPC:S:0b6c2f8e-3a1d-4e5f-9a7b-1c2d3e4f5a6b'))).toBe(true);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '!!', cursor('hello'), cursor('GPC:S:not-a-uuid'), cursor('GPC:N:5'), cursor('GPC:S:')]) {
      expect(isUserCursor(bad)).toBe(false);
    }
  });
});
