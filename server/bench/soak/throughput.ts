// One API instance against two behind PgBouncer, in one run: the same read (a user's newest 20 listings)
// at the same total concurrency, first sent to one instance, then split over both; rounds interleaved so a
// burst of noise on a shared machine hits both. The load generator runs in this process, on the same
// machine: with two cores, the ratio shows what a second process buys when cores are the limit.
import os from 'node:os';
import autocannon, { type Result } from 'autocannon';
import type { ApiInstance } from '../../test/support/api-cluster.js';
import { median, table } from '../stats.js';

const QUERY = JSON.stringify({ query: '{ listings(first: 20) { totalCount edges { node { id title } } } }' });
const CONNECTIONS = 64;

function load(url: string, tokens: readonly string[], connections: number, seconds: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 10,
        requests: tokens.map((token) => ({
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: QUERY,
        })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** Requests per second over `targets` at once, CONNECTIONS split evenly; throws on any failed request. */
async function measure(targets: readonly ApiInstance[], tokens: readonly string[], seconds: number): Promise<number> {
  const results = await Promise.all(
    targets.map((target) => load(target.url, tokens, CONNECTIONS / targets.length, seconds)),
  );
  for (const result of results) {
    const failed = result.errors + result.timeouts + result.non2xx;
    if (failed > 0)
      throw new Error(`throughput: ${failed} failed requests (${JSON.stringify(result.statusCodeStats)})`);
  }
  return results.reduce((sum, result) => sum + result.requests.total / result.duration, 0);
}

/** Prints one-vs-two req/s per round and the ratio of medians; false when a round failed. */
export async function compareThroughput(
  instances: readonly ApiInstance[],
  tokens: readonly string[],
  rounds: number,
  seconds: number,
): Promise<boolean> {
  const one: number[] = [];
  const two: number[] = [];
  try {
    await measure(instances, tokens, 1); // warm-up
    for (let round = 0; round < rounds; round++) {
      // Alternating which goes first keeps a trend (thermal, a neighbour's job) from favouring one.
      if (round % 2 === 0) {
        one.push(await measure(instances.slice(0, 1), tokens, seconds));
        two.push(await measure(instances, tokens, seconds));
      } else {
        two.push(await measure(instances, tokens, seconds));
        one.push(await measure(instances.slice(0, 1), tokens, seconds));
      }
    }
  } catch (error) {
    console.log(`throughput: FAILED: ${(error as Error).message}`);
    return false;
  }
  const rows = one.map((value, i) => [String(i + 1), value.toFixed(0), (two[i] ?? 0).toFixed(0)]);
  console.log(table(['round', '1 instance req/s', '2 instances req/s'], rows));
  console.log(
    `throughput: 2 instances / 1 instance = ${(median(two) / median(one)).toFixed(2)}× ` +
      `(medians of ${rounds} interleaved rounds of ${seconds} s, ${CONNECTIONS} connections, ${os.availableParallelism()} cores)`,
  );
  return true;
}
