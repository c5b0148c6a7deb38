// Summarises a V8 CPU profile (.cpuprofile, e.g. from BENCH_PEER_CPU_PROF): self time by package, the
// top functions by self time, and the inclusive share of a few groups (time with any of their frames on
// the stack). Shares are of the busy time: idle is left out of them and printed on its own.
//   npx tsx bench/profile-summary.ts <file.cpuprofile>
import { readFileSync } from 'node:fs';
import { table } from './stats.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const TOP_FUNCTIONS = 25;
const SPECIAL = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** Where a frame's code lives: a package, node internals, our code, or one of V8's pseudo-frames. */
export function packageOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName) && !frame.url) return frame.functionName;
  const url = frame.url;
  if (!url) return '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const [first = '', second = ''] = url.slice(modules + '/node_modules/'.length).split('/');
    const name = first.startsWith('@') ? `${first}/${second}` : first;
    // The bench's build carries its own copy of the shared package (bench/peer/children.ts).
    return name === '@deal-brain/shared' ? 'packages/shared' : name;
  }
  if (/\/server\/(src|dist[^/]*)\/generated\/prisma\//.test(url)) return '@prisma (generated client)';
  if (/\/server\/(src|dist[^/]*)\//.test(url)) return 'server/src (ours)';
  if (url.includes('/packages/shared/')) return 'packages/shared';
  return url;
}

/** Groups whose inclusive share is reported. */
const GROUPS: Record<string, (pkg: string) => boolean> = {
  '@clerk/backend': (pkg) => pkg === '@clerk/backend',
  'graphql-yoga, @whatwg-node, @envelop': (pkg) =>
    pkg === 'graphql-yoga' || /^@(graphql-yoga|whatwg-node|envelop)\//.test(pkg),
  '@prisma (incl. generated client, its wasm)': (pkg) =>
    pkg.startsWith('@prisma') || pkg === 'wasm, called from @prisma/client',
  'pg (pg, pg-pool, pg-protocol, pg-types)': (pkg) => /^pg(-pool|-protocol|-types|-cloudflare)?$/.test(pkg),
  graphql: (pkg) => pkg === 'graphql',
  '@pothos': (pkg) => pkg.startsWith('@pothos/'),
  jose: (pkg) => pkg === 'jose',
  'server/src (ours)': (pkg) => pkg === 'server/src (ours)',
};

const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)}%`;

/** Self time (µs) of every sample: the gap to the next sample, as DevTools counts it. */
function sampleTimes(profile: CpuProfile): number[] {
  return profile.samples.map((_, i) => profile.timeDeltas[i + 1] ?? 0);
}

/**
 * The package of every node. WebAssembly frames carry no file (wasm://wasm/<hash>): they are named after
 * the package of the nearest caller with a file (Prisma's query compiler is wasm, called from @prisma/client).
 */
function packagesOf(profile: CpuProfile, parentOf: Map<number, number>): Map<number, string> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const packages = new Map<number, string>();
  for (const node of profile.nodes) {
    let id: number | undefined = node.id;
    // Past other wasm frames and native glue (no url) to the first frame with a file.
    const withoutFile = (frame: CallFrame) => frame.url === '' || frame.url.startsWith('wasm://');
    while (id !== undefined && withoutFile(byId.get(id)!.callFrame)) id = parentOf.get(id);
    const own = packageOf(node.callFrame);
    const caller = id === undefined ? 'unknown' : packageOf(byId.get(id)!.callFrame);
    packages.set(node.id, node.callFrame.url.startsWith('wasm://') ? `wasm, called from ${caller}` : own);
  }
  return packages;
}

function summarise(profile: CpuProfile): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const packages = packagesOf(profile, parentOf);
  const times = sampleTimes(profile);
  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, i) => selfByNode.set(id, (selfByNode.get(id) ?? 0) + (times[i] ?? 0)));

  let idle = 0;
  let busy = 0;
  const selfByPackage = new Map<string, number>();
  const selfByFunction = new Map<string, { frame: CallFrame; pkg: string; time: number }>();
  for (const [id, time] of selfByNode) {
    const frame = byId.get(id)!.callFrame;
    const pkg = packages.get(id)!;
    if (pkg === '(idle)') {
      idle += time;
      continue;
    }
    busy += time;
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + time);
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
    const entry = selfByFunction.get(key) ?? { frame, pkg, time: 0 };
    entry.time += time;
    selfByFunction.set(key, entry);
  }

  // Inclusive: a sample counts for a group once if any frame on its stack belongs to it.
  const inclusive = new Map<string, number>(Object.keys(GROUPS).map((name) => [name, 0]));
  profile.samples.forEach((leaf, i) => {
    if (packages.get(leaf) === '(idle)') return;
    const hit = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parentOf.get(id)) {
      const pkg = packages.get(id)!;
      for (const [name, matches] of Object.entries(GROUPS)) if (matches(pkg)) hit.add(name);
    }
    for (const name of hit) inclusive.set(name, (inclusive.get(name) ?? 0) + (times[i] ?? 0));
  });

  const total = busy + idle;
  const packageRows = [...selfByPackage].sort((a, b) => b[1] - a[1]);
  const functions = [...selfByFunction.values()].sort((a, b) => b.time - a.time).slice(0, TOP_FUNCTIONS);
  const where = (frame: CallFrame) => {
    const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '');
    return file ? `${file.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}` : '';
  };
  return [
    `busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s (${percent(idle, total)} of ${(total / 1e6).toFixed(1)} s); shares below are of busy time`,
    '',
    'Self time by package',
    table(
      ['package', 'self', 'ms'],
      packageRows.map(([pkg, t]) => [pkg, percent(t, busy), (t / 1000).toFixed(0)]),
    ),
    '',
    `Top ${TOP_FUNCTIONS} functions by self time`,
    table(
      ['function', 'package', 'where', 'self'],
      functions.map((f) => [f.frame.functionName || '(anonymous)', f.pkg, where(f.frame), percent(f.time, busy)]),
    ),
    '',
    'Inclusive share (any frame on the stack)',
    table(
      ['group', 'inclusive'],
      [...inclusive].map(([name, t]) => [name, percent(t, busy)]),
    ),
  ].join('\n');
}

function main(): void {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile>');
    process.exit(2);
  }
  console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile));
}

main();
