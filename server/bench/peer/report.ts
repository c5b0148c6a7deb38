// The peer bench's tables: one per scenario (req/s per round, median, latency percentiles, RSS) with
// the ours/PostGraphile ratio, and peak RSS per server over the whole run.
import { median, ms, table } from '../stats.js';
import type { Label, Target } from './children.js';
import type { Round } from './load.js';

export type Rounds = Record<Label, Round[]>;

export function scenarioReport(targets: Target[], rounds: Rounds): string {
  const rows = targets.map((target) => {
    const mine = rounds[target.label];
    return [
      target.label,
      mine.map((r) => r.requestsPerSecond.toFixed(0)).join(', '),
      median(mine.map((r) => r.requestsPerSecond)).toFixed(0),
      ms(median(mine.map((r) => r.latency.p50))),
      ms(median(mine.map((r) => r.latency.p95))),
      ms(median(mine.map((r) => r.latency.p99))),
      median(mine.map((r) => r.cpuMsPerRequest ?? NaN)).toFixed(2),
      (target.scenarioPeakRssKb / 1024).toFixed(0),
    ];
  });
  // Paired by round, so drift during the run cancels; the median of the pairs is reported.
  const ratios = rounds.ours.map((r, i) => r.requestsPerSecond / (rounds.PostGraphile[i]?.requestsPerSecond ?? NaN));
  return [
    table(
      ['server', 'req/s per round', 'req/s median', 'p50 ms', 'p95 ms', 'p99 ms', 'CPU ms/request', 'peak RSS MB'],
      rows,
    ),
    `throughput ours/PostGraphile: ${median(ratios).toFixed(2)}× (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
  ].join('\n');
}

export function rssReport(targets: Target[]): string {
  return table(
    ['server', 'peak RSS MB (whole run)'],
    targets.map((target) => [target.label, (target.peakRssKb / 1024).toFixed(0)]),
  );
}
