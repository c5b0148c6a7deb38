import { describe, expect, it, vi } from 'vitest';
import type { Context } from '#src/graphql/context.js';
import { forgetScoringWeights, resolveScoringWeights } from './scoring-profile-loader.js';

const VIEWER = '00000000-0000-4000-8000-000000000001';

/** A context whose database answers findFirst from `rows`, counting the calls. */
function fakeContext(rows: { id: string; ownerId: string; isDefault: boolean; weights: unknown }[]) {
  const findFirst = vi.fn(async ({ where }: { where: { id?: string; ownerId: string; isDefault?: boolean } }) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return (
      rows.find(
        (row) =>
          row.ownerId === where.ownerId &&
          (where.id === undefined || row.id === where.id) &&
          (where.isDefault === undefined || row.isDefault === where.isDefault),
      ) ?? null
    );
  });
  const ctx = {
    viewer: {
      userId: VIEWER,
      clerkId: 'user_x',
      role: 'USER',
      sessionId: undefined,
      credential: { kind: 'session', sessionId: undefined },
    },
    db: { scoringProfile: { findFirst } },
    readAhead: new Map<string, unknown>(),
  } as unknown as Context;
  return { ctx, findFirst };
}

const rows = [
  { id: 'p1', ownerId: VIEWER, isDefault: true, weights: { price: 1 } },
  { id: 'p2', ownerId: VIEWER, isDefault: false, weights: { cpu: 2, gpu: 'x' } },
  { id: 'p3', ownerId: 'someone-else', isDefault: true, weights: { ram: 3 } },
];

describe('resolveScoringWeights', () => {
  it('reads the default once however many fields ask for it at once', async () => {
    const { ctx, findFirst } = fakeContext(rows);
    const results = await Promise.all(Array.from({ length: 50 }, () => resolveScoringWeights(ctx)));
    expect(findFirst).toHaveBeenCalledTimes(1);
    expect(findFirst.mock.calls[0]?.[0].where).toEqual({ ownerId: VIEWER, isDefault: true });
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toEqual({ id: 'p1', weights: { price: 1, cpu: 0, gpu: 0, ram: 0, storage: 0, condition: 0 } });
    await resolveScoringWeights(ctx);
    expect(findFirst).toHaveBeenCalledTimes(1);
  });

  it('reads a named profile once per id, always filtered by the viewer as owner', async () => {
    const { ctx, findFirst } = fakeContext(rows);
    const [a, b, c] = await Promise.all([
      resolveScoringWeights(ctx, 'p2'),
      resolveScoringWeights(ctx, 'p2'),
      resolveScoringWeights(ctx, 'p3'),
    ]);
    expect(a).toEqual({ id: 'p2', weights: { price: 0, cpu: 2, gpu: 0, ram: 0, storage: 0, condition: 0 } });
    expect(b).toBe(a);
    // Another owner's profile is null, even for a viewer whose database role could read it (an admin).
    expect(c).toBeNull();
    expect(findFirst).toHaveBeenCalledTimes(2);
    expect(findFirst.mock.calls.map((call) => call[0].where)).toEqual([
      { id: 'p2', ownerId: VIEWER },
      { id: 'p3', ownerId: VIEWER },
    ]);
  });

  it('is null without a default', async () => {
    const { ctx } = fakeContext(rows.filter((row) => !row.isDefault));
    expect(await resolveScoringWeights(ctx)).toBeNull();
  });

  it('reads afresh after forgetScoringWeights, and leaves other read-ahead values alone', async () => {
    const { ctx, findFirst } = fakeContext(rows);
    ctx.readAhead.set('listings.totalCount:{}', 3);
    await resolveScoringWeights(ctx);
    forgetScoringWeights(ctx);
    await resolveScoringWeights(ctx);
    expect(findFirst).toHaveBeenCalledTimes(2);
    expect(ctx.readAhead.get('listings.totalCount:{}')).toBe(3);
  });
});
