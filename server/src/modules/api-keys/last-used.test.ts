import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLastUsedRecorder } from './last-used.js';

function logged() {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { log, lines };
}

function setup(options: { maxTracked?: number } = {}) {
  const clock = { now: 1_000_000 };
  const writes: { keyId: string; at: number }[] = [];
  const { log, lines } = logged();
  const recorder = createLastUsedRecorder({ log, intervalMs: 60_000, now: () => clock.now, ...options });
  const touch = (keyId: string) =>
    recorder.touch(keyId, async (at) => {
      writes.push({ keyId, at: at.getTime() });
    });
  return { clock, writes, lines, recorder, touch };
}

describe('last use of a key', () => {
  it('is written on first use, then at most once a minute per key', async () => {
    const { clock, writes, recorder, touch } = setup();
    expect(touch('a')).toBe(true);
    expect(touch('a')).toBe(false);
    clock.now += 59_999;
    expect(touch('a')).toBe(false);
    expect(touch('b')).toBe(true);
    clock.now += 1;
    expect(touch('a')).toBe(true);
    await recorder.idle();
    expect(writes).toEqual([
      { keyId: 'a', at: 1_000_000 },
      { keyId: 'b', at: 1_059_999 },
      { keyId: 'a', at: 1_060_000 },
    ]);
  });

  it('does not make the request wait: the write starts after the current tick', async () => {
    const { recorder } = setup();
    let started = false;
    recorder.touch('a', async () => {
      started = true;
    });
    expect(started).toBe(false);
    await recorder.idle();
    expect(started).toBe(true);
  });

  it('logs a failed write and never throws it', async () => {
    const { recorder, lines } = setup();
    expect(
      recorder.touch('a', () => {
        throw new Error('database down');
      }),
    ).toBe(true);
    await recorder.idle();
    expect(lines).toEqual([expect.objectContaining({ level: 40, event: 'api_key.last_used_failed', keyId: 'a' })]);
  });

  it('keeps a bounded number of keys: the least recently written is forgotten first', async () => {
    const { recorder, touch, writes } = setup({ maxTracked: 3 });
    for (const key of ['a', 'b', 'c', 'd']) touch(key);
    expect(recorder.size).toBe(3);
    // "a" was forgotten, so its next use writes again; "d" is still throttled.
    expect(touch('a')).toBe(true);
    expect(touch('d')).toBe(false);
    expect(recorder.size).toBe(3);
    await recorder.idle();
    expect(writes.map((w) => w.keyId)).toEqual(['a', 'b', 'c', 'd', 'a']);
  });
});
