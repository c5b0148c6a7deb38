/** The node flags for the API process, from API_MAX_OLD_SPACE_MB and API_MAX_SEMI_SPACE_MB in `env`. */
export function apiNodeFlags(env: Record<string, string | undefined>): string[];

/** The API's environment additions: MALLOC_ARENA_MAX=2 unless `env` sets it. */
export function apiEnvironment(env: Record<string, string | undefined>): Record<string, string>;
