// The ruleset is read once per request and key, however many listings ask for it.
import { describe, expect, it, vi } from 'vitest';
import type { Context } from '#src/graphql/context.js';
import { forgetValuationRulesets, loadRuleset } from './valuation-ruleset-loader.js';

const RULES = [
  { when: { attribute: 'RAM_GB', operator: 'BELOW', value: 16 }, adjust: { kind: 'ADD', amount: '1.00' } },
];

function fakeContext(rows: Record<string, unknown>) {
  const findFirst = vi.fn(async ({ where }: { where: { id?: string; isActive?: boolean } }) => {
    const key = where.id ?? (where.isActive ? 'active' : 'none');
    return rows[key] ?? null;
  });
  const ctx = {
    viewer: { userId: 'viewer-1', role: 'USER' },
    db: { valuationRuleset: { findFirst } },
    readAhead: new Map(),
  } as unknown as Context;
  return { ctx, findFirst };
}

describe('loadRuleset', () => {
  it('one query for many concurrent callers of the same key; the owner is always in the filter', async () => {
    const { ctx, findFirst } = fakeContext({ active: { id: 'r1', rules: RULES } });
    const results = await Promise.all(Array.from({ length: 20 }, () => loadRuleset(ctx)));
    expect(findFirst).toHaveBeenCalledTimes(1);
    expect(findFirst).toHaveBeenCalledWith({ where: { ownerId: 'viewer-1', isActive: true } });
    expect(new Set(results).size).toBe(1);
    expect(results[0]?.rules).toEqual(RULES);
  });

  it('a named ruleset is its own key, filtered by owner too', async () => {
    const { ctx, findFirst } = fakeContext({ r2: { id: 'r2', rules: [] } });
    await loadRuleset(ctx, 'r2');
    await loadRuleset(ctx, 'r2');
    expect(await loadRuleset(ctx)).toBeNull();
    expect(findFirst.mock.calls.map(([args]) => args)).toEqual([
      { where: { id: 'r2', ownerId: 'viewer-1' } },
      { where: { ownerId: 'viewer-1', isActive: true } },
    ]);
  });

  it('forgetValuationRulesets makes the next read go to the database again, and leaves other keys alone', async () => {
    const { ctx, findFirst } = fakeContext({ active: { id: 'r1', rules: [] } });
    ctx.readAhead.set('listings.totalCount:{}', 3);
    await loadRuleset(ctx);
    forgetValuationRulesets(ctx);
    await loadRuleset(ctx);
    expect(findFirst).toHaveBeenCalledTimes(2);
    expect(ctx.readAhead.get('listings.totalCount:{}')).toBe(3);
  });
});
