// The V8 heap flags the API server runs with in production (scripts/start.mjs), and in the benchmarks that
// stand in for production (server/bench/peer). Without them V8 sizes its heap from the machine's memory and
// lets garbage pile up to several hundred MB before collecting it: under load the API's RSS climbed past
// 400 MB with some 60 MB alive. Capped, it stays under 250 MB for the same throughput (ADR 0071).
// API_MAX_OLD_SPACE_MB (default 128): the old generation's ceiling. Past it the process dies "out of memory"
// (and a supervisor restarts it), so it is a ceiling for a live set measured at well under half of it; raise
// it when the live set grows (process metrics nodejs_heap_size_used_bytes after a full collection).
// API_MAX_SEMI_SPACE_MB (default 16, V8's own on 64-bit): each half of the young generation. Smaller ones
// saved some 30 MB and cost about 15% more CPU per request in collections (ADR 0071).

const DEFAULT_OLD_SPACE_MB = 128;
const DEFAULT_SEMI_SPACE_MB = 16;

function megabytes(env, name, fallback, min, max) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new Error(`${name} must be a whole number of MB from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** The node flags for the API process, from API_MAX_OLD_SPACE_MB and API_MAX_SEMI_SPACE_MB in `env`. */
export function apiNodeFlags(env) {
  return [
    `--max-old-space-size=${megabytes(env, 'API_MAX_OLD_SPACE_MB', DEFAULT_OLD_SPACE_MB, 64, 65_536)}`,
    `--max-semi-space-size=${megabytes(env, 'API_MAX_SEMI_SPACE_MB', DEFAULT_SEMI_SPACE_MB, 1, 256)}`,
  ];
}

/**
 * The API's environment additions: MALLOC_ARENA_MAX=2 unless set. glibc gives each thread that allocates
 * (libuv's pool, V8's collector helpers) an arena of its own, and their fragmentation held some 30 MB of RSS
 * under load; two arenas cost nothing measurable here (ADR 0071).
 */
export function apiEnvironment(env) {
  return { MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? '2' };
}
