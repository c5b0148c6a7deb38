import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEventInput } from '#src/audit/audit-events.js';
import { createRefusalLog } from './refusal-log.js';

const START = Date.parse('2027-01-01T00:00:00Z');

function setup(options: { maxPrefixes?: number; fail?: boolean } = {}) {
  const clock = { now: START };
  const written: AuditEventInput[][] = [];
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const refusals = createRefusalLog({
    log,
    windowMs: 60_000,
    now: () => clock.now,
    write: async (events) => {
      if (options.fail) throw new Error('database down');
      written.push(events);
    },
    ...(options.maxPrefixes ? { maxPrefixes: options.maxPrefixes } : {}),
  });
  return { clock, written, lines, refusals };
}

const meta = (events: AuditEventInput[] | undefined): Record<string, unknown>[] =>
  (events ?? []).map((event) => ({ type: event.type, subject: event.subjectUserId, ...event.metadata }));

afterEach(() => {
  vi.useRealTimers();
});

describe('refused API keys', () => {
  it('are written as one row per (prefix, reason) per window, with the count', async () => {
    const { clock, written, refusals } = setup();
    for (let i = 0; i < 500; i++) refusals.record({ prefix: 'dbk_aaaaaaaa', reason: 'api-key-unknown', ownerId: null });
    refusals.record({ prefix: 'dbk_bbbbbbbb', reason: 'api-key-mismatch', ownerId: 'owner-b' });
    refusals.record({ prefix: 'dbk_bbbbbbbb', reason: 'api-key-revoked', ownerId: 'owner-b' });
    refusals.record({ prefix: null, reason: 'api-key-malformed', ownerId: null });
    clock.now += 60_000;
    await refusals.flush();
    const window = { windowStart: '2027-01-01T00:00:00.000Z', windowEnd: '2027-01-01T00:01:00.000Z' };
    expect(written).toHaveLength(1);
    expect(meta(written[0])).toEqual([
      {
        type: 'api_key.refused',
        subject: null,
        prefix: 'dbk_aaaaaaaa',
        reason: 'api-key-unknown',
        count: 500,
        ...window,
      },
      {
        type: 'api_key.refused',
        subject: 'owner-b',
        prefix: 'dbk_bbbbbbbb',
        reason: 'api-key-mismatch',
        count: 1,
        ...window,
      },
      {
        type: 'api_key.refused',
        subject: 'owner-b',
        prefix: 'dbk_bbbbbbbb',
        reason: 'api-key-revoked',
        count: 1,
        ...window,
      },
      { type: 'api_key.refused', subject: null, prefix: null, reason: 'api-key-malformed', count: 1, ...window },
    ]);
    expect(written[0]!.every((event) => event.actorId === null)).toBe(true);
  });

  it('start a new window after a flush, and an empty window writes nothing', async () => {
    const { clock, written, refusals } = setup();
    refusals.record({ prefix: 'dbk_aaaaaaaa', reason: 'api-key-unknown', ownerId: null });
    clock.now += 60_000;
    await refusals.flush();
    clock.now += 60_000;
    await refusals.flush();
    refusals.record({ prefix: 'dbk_aaaaaaaa', reason: 'api-key-unknown', ownerId: null });
    clock.now += 30_000;
    await refusals.flush();
    expect(written.map((events) => meta(events).map((m) => [m.count, m.windowStart, m.windowEnd]))).toEqual([
      [[1, '2027-01-01T00:00:00.000Z', '2027-01-01T00:01:00.000Z']],
      [[1, '2027-01-01T00:02:00.000Z', '2027-01-01T00:02:30.000Z']],
    ]);
  });

  it('keep at most maxPrefixes distinct pairs a window; the rest are counted in one "other" row per reason', async () => {
    const { written, refusals } = setup({ maxPrefixes: 3 });
    const prefixes = ['dbk_aaaaaaaa', 'dbk_bbbbbbbb', 'dbk_cccccccc', 'dbk_dddddddd', 'dbk_eeeeeeee', 'dbk_ffffffff'];
    for (const prefix of prefixes) {
      refusals.record({ prefix, reason: 'api-key-unknown', ownerId: null });
      refusals.record({ prefix, reason: 'api-key-unknown', ownerId: null });
    }
    refusals.record({ prefix: 'dbk_gggggggg', reason: 'api-key-mismatch', ownerId: 'owner-g' });
    // A pair already counted this window keeps counting.
    refusals.record({ prefix: 'dbk_aaaaaaaa', reason: 'api-key-unknown', ownerId: null });
    await refusals.flush();
    expect(
      meta(written[0]).map(({ prefix, reason, count, other, subject }) => ({ prefix, reason, count, other, subject })),
    ).toEqual([
      { prefix: 'dbk_aaaaaaaa', reason: 'api-key-unknown', count: 3, other: undefined, subject: null },
      { prefix: 'dbk_bbbbbbbb', reason: 'api-key-unknown', count: 2, other: undefined, subject: null },
      { prefix: 'dbk_cccccccc', reason: 'api-key-unknown', count: 2, other: undefined, subject: null },
      { prefix: null, reason: 'api-key-unknown', count: 6, other: true, subject: null },
      { prefix: null, reason: 'api-key-mismatch', count: 1, other: true, subject: null },
    ]);
  });

  it('log a failed write with the counts, and go on', async () => {
    const { refusals, lines } = setup({ fail: true });
    refusals.record({ prefix: 'dbk_aaaaaaaa', reason: 'api-key-unknown', ownerId: null });
    refusals.record({ prefix: 'dbk_aaaaaaaa', reason: 'api-key-unknown', ownerId: null });
    await expect(refusals.flush()).resolves.toBeUndefined();
    expect(lines).toEqual([
      expect.objectContaining({ level: 50, event: 'api_key.refusals_not_recorded', rows: 1, refusals: 2 }),
    ]);
  });

  it('are flushed by the window timer, and on close', async () => {
    vi.useFakeTimers();
    const { written, refusals } = setup();
    refusals.start();
    refusals.record({ prefix: 'dbk_aaaaaaaa', reason: 'api-key-unknown', ownerId: null });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(written).toHaveLength(1);
    refusals.record({ prefix: 'dbk_aaaaaaaa', reason: 'api-key-expired', ownerId: 'o' });
    await refusals.close();
    expect(written).toHaveLength(2);
    // Closed: the timer is gone.
    refusals.record({ prefix: 'dbk_aaaaaaaa', reason: 'api-key-expired', ownerId: 'o' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(written).toHaveLength(2);
  });
});
