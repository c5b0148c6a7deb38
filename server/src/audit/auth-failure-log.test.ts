import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AccountDisabledError, InvalidCredentialError, SignupsDisabledError } from '#src/auth/errors.js';
import type { AuditEventInput } from './audit-events.js';
import { authFailureOf, createAuthFailureLog } from './auth-failure-log.js';

const START = Date.parse('2027-01-01T00:00:00Z');

function setup(options: { maxKeys?: number; fail?: boolean } = {}) {
  const clock = { now: START };
  const written: AuditEventInput[][] = [];
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const failures = createAuthFailureLog({
    log,
    now: () => clock.now,
    write: async (events) => {
      if (options.fail) throw new Error('database down');
      written.push(events);
    },
    ...(options.maxKeys ? { maxKeys: options.maxKeys } : {}),
  });
  return { clock, written, lines, failures };
}

const rows = (events: AuditEventInput[] | undefined): Record<string, unknown>[] =>
  (events ?? []).map(({ type, ip, subjectUserId, metadata }) => ({ type, ip, subjectUserId, ...metadata }));

describe('authFailureOf', () => {
  it('names each refused credential, and nothing else', () => {
    expect(authFailureOf(new InvalidCredentialError('token-expired'))).toEqual({
      reason: 'token-expired',
      subjectUserId: null,
    });
    expect(authFailureOf(new AccountDisabledError('u1'))).toEqual({ reason: 'account-disabled', subjectUserId: 'u1' });
    expect(authFailureOf(new SignupsDisabledError('user_1'))).toEqual({
      reason: 'signups-disabled',
      subjectUserId: null,
    });
    expect(authFailureOf(new Error('database down'))).toBeUndefined();
  });
});

describe('failed authentication', () => {
  it('is one auth.failed row per (reason, address) per window, with the count and the window', async () => {
    const { clock, written, failures } = setup();
    for (let i = 0; i < 500; i++) failures.record({ reason: 'token-expired', ip: '192.0.2.1', subjectUserId: null });
    failures.record({ reason: 'token-expired', ip: '192.0.2.2', subjectUserId: null });
    failures.record({ reason: 'account-disabled', ip: '192.0.2.1', subjectUserId: 'u1' });
    failures.record({ reason: 'account-disabled', ip: '192.0.2.1', subjectUserId: 'u2' });
    clock.now += 60_000;
    await failures.flush();
    const window = { windowStart: '2027-01-01T00:00:00.000Z', windowEnd: '2027-01-01T00:01:00.000Z' };
    expect(written).toHaveLength(1);
    expect(rows(written[0])).toEqual([
      { type: 'auth.failed', ip: '192.0.2.1', subjectUserId: null, reason: 'token-expired', count: 500, ...window },
      { type: 'auth.failed', ip: '192.0.2.2', subjectUserId: null, reason: 'token-expired', count: 1, ...window },
      { type: 'auth.failed', ip: '192.0.2.1', subjectUserId: 'u1', reason: 'account-disabled', count: 1, ...window },
      { type: 'auth.failed', ip: '192.0.2.1', subjectUserId: 'u2', reason: 'account-disabled', count: 1, ...window },
    ]);
    // The next window starts empty.
    await failures.flush();
    expect(written).toHaveLength(1);
  });

  it('keeps at most maxKeys distinct pairs per window; the rest go to one "other" row per reason', async () => {
    const { written, failures } = setup({ maxKeys: 2 });
    for (let i = 0; i < 1000; i++)
      failures.record({ reason: 'token-invalid', ip: `10.0.${i >> 8}.${i & 255}`, subjectUserId: null });
    failures.record({ reason: 'token-expired', ip: '10.9.9.9', subjectUserId: null });
    await failures.flush();
    expect(rows(written[0]).map(({ ip, reason, count, other }) => ({ ip, reason, count, other }))).toEqual([
      { ip: '10.0.0.0', reason: 'token-invalid', count: 1, other: undefined },
      { ip: '10.0.0.1', reason: 'token-invalid', count: 1, other: undefined },
      { ip: null, reason: 'token-invalid', count: 998, other: true },
      { ip: null, reason: 'token-expired', count: 1, other: true },
    ]);
  });

  it('a write that fails is logged with what it lost and never throws', async () => {
    const { failures, lines } = setup({ fail: true });
    failures.record({ reason: 'token-expired', ip: '192.0.2.1', subjectUserId: null });
    failures.record({ reason: 'token-expired', ip: '192.0.2.1', subjectUserId: null });
    await expect(failures.flush()).resolves.toBeUndefined();
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, event: 'auth.failures_not_recorded', rows: 1, refusals: 2 }),
    );
  });
});
