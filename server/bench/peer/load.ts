// The peer bench's load generator: CONNECTIONS keep-alive loops, each cycling over the owners'
// tokens, for a fixed time; every status checked, every Nth body checked by the scenario.
import http from 'node:http';
import { percentiles, type Percentiles } from '../stats.js';
import type { Target } from './children.js';
import { post } from './http.js';
import type { RoundPlan } from './scenarios.js';

export interface Round {
  requests: number;
  requestsPerSecond: number;
  latency: Percentiles;
  /** 200 answers per owner (OWNERS order). */
  okPerOwner: number[];
  /** CPU time the server process spent per request in this round, in ms (set by the caller). */
  cpuMsPerRequest?: number;
}

export interface LoadSettings {
  connections: number;
  checkEvery: number;
}

export async function load(
  target: Target,
  plan: RoundPlan,
  tokens: string[],
  seconds: number,
  settings: LoadSettings,
): Promise<Round> {
  const { connections, checkEvery } = settings;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples: number[] = [];
  const okPerOwner = tokens.map(() => 0);
  const started = performance.now();
  const until = started + seconds * 1000;
  let sent = 0;
  const loop = async (connection: number) => {
    // seq: disjoint per connection, so unique within the round.
    for (let seq = connection; performance.now() < until; seq += connections) {
      const owner = seq % tokens.length;
      const t0 = performance.now();
      const { status, text } = await post(agent, target.port, plan.body(owner, seq), tokens[owner]);
      samples.push(performance.now() - t0);
      if (status !== 200) throw new Error(`${target.label}: status ${status}: ${text.slice(0, 300)}`);
      okPerOwner[owner]!++;
      if (++sent % checkEvery === 0) plan.check(text, owner, seq);
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, (_, c) => loop(c)));
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    requests: samples.length,
    requestsPerSecond: samples.length / elapsed,
    latency: percentiles(samples),
    okPerOwner,
  };
}

/**
 * Without a token, or with one signed by another key, a server may return none of the bench's rows
 * (and write none: the plan's settle then finds no row for any owner).
 */
export async function checkRefusals(
  target: Target,
  plan: RoundPlan,
  foreignToken: string,
  superuserUrl: string,
  owners: number,
): Promise<void> {
  const agent = new http.Agent();
  try {
    for (const token of [undefined, foreignToken]) {
      const { text } = await post(agent, target.port, plan.body(0, 0), token);
      if (text.includes('Bench listing') || text.includes('Bench write')) {
        throw new Error(`${target.label} answered without a valid token: ${text.slice(0, 300)}`);
      }
    }
  } finally {
    agent.destroy();
  }
  await plan.settle?.(
    superuserUrl,
    Array.from({ length: owners }, () => 0),
  );
}
