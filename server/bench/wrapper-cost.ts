// One listings page through Prisma, serially, three ways, interleaved so drift hits all alike:
//   owner     the owner-connection server's client (bench_owner, BYPASSRLS, on its RLS-free
//             database): a plain query, no wrapper, no policies;
//   wrapper   the server's RLS client on the baseline database: BEGIN, set_config (role, user),
//             the query, COMMIT, but no policies to evaluate;
//   rls       the server's RLS client on the RLS database: wrapper and policies.
// The servers under load compare the same three; this isolates the database client's part.
import { createBasePrisma } from '#src/db/client.js';
import type { Prisma } from '#src/generated/prisma/client.js';
import { rlsClient } from '#src/db/rls.js';
import type { DatabaseTarget } from './database.js';
import { PAGE_SIZE, type Owner } from './fixtures.js';
import { percentiles, type Percentiles } from './stats.js';

export interface WrapperCost {
  owner: Percentiles;
  wrapper: Percentiles;
  rls: Percentiles;
}

function pageArgs(ownerId: string) {
  return {
    where: { ownerId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: PAGE_SIZE + 1,
    select: { id: true, title: true, price: true },
  } satisfies Prisma.ListingFindManyArgs;
}

export async function benchWrapperCost(
  rlsTarget: DatabaseTarget,
  baselineTarget: DatabaseTarget,
  ownerTarget: DatabaseTarget,
  owner: Owner,
  options: { warmup: number; iterations: number },
): Promise<WrapperCost> {
  const bases = [
    createBasePrisma(ownerTarget.url, 1),
    createBasePrisma(baselineTarget.url, 1),
    createBasePrisma(rlsTarget.url, 1),
  ] as const;
  try {
    const viewer = {
      userId: owner.userId,
      clerkId: 'bench',
      role: 'USER',
      sessionId: undefined,
      credential: { kind: 'session', sessionId: undefined },
    } as const;
    const args = pageArgs(owner.userId);
    const withWrapper = rlsClient(bases[1], viewer);
    const withPolicies = rlsClient(bases[2], viewer);
    const clients: (() => Promise<unknown[]>)[] = [
      () => bases[0].listing.findMany(args),
      () => withWrapper.listing.findMany(args),
      () => withPolicies.listing.findMany(args),
    ];
    const samples = clients.map(() => new Float64Array(options.iterations));
    for (let i = 0; i < options.warmup + options.iterations; i++) {
      for (const [k, client] of clients.entries()) {
        const started = process.hrtime.bigint();
        const rows = await client();
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        if (rows.length !== PAGE_SIZE + 1) throw new Error(`wrapper bench: ${rows.length} rows, not ${PAGE_SIZE + 1}`);
        if (i >= options.warmup) (samples[k] as Float64Array)[i - options.warmup] = elapsed;
      }
    }
    const [ownerSamples, wrapperSamples, rlsSamples] = samples as [Float64Array, Float64Array, Float64Array];
    return { owner: percentiles(ownerSamples), wrapper: percentiles(wrapperSamples), rls: percentiles(rlsSamples) };
  } finally {
    await Promise.all(bases.map((base) => base.$disconnect()));
  }
}
