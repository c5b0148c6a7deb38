// Which identity mode the apps run in. Both resolve it from the same variables, so the API server and
// the web app never disagree about who signs people in.
import { ConfigError } from './env/config-error.js';

export const AUTH_MODES = ['clerk', 'local'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** The variables the mode depends on, as the apps' environment schemas give them. */
export interface AuthModeEnv {
  NODE_ENV: string;
  AUTH_MODE?: AuthMode | undefined;
  CLERK_SECRET_KEY?: string | undefined;
  CLERK_PUBLISHABLE_KEY?: string | undefined;
  CLERK_JWT_KEY?: string | undefined;
}

/**
 * AUTH_MODE when set; otherwise local only where nothing says otherwise (no Clerk key, not
 * production). Local mode signs in whoever asks, so production refuses it even when asked for.
 */
export function resolveAuthMode(env: AuthModeEnv): AuthMode {
  const hasClerkKey = Boolean(env.CLERK_SECRET_KEY || env.CLERK_PUBLISHABLE_KEY || env.CLERK_JWT_KEY);
  const mode = env.AUTH_MODE ?? (hasClerkKey || env.NODE_ENV === 'production' ? 'clerk' : 'local');
  if (mode === 'local' && env.NODE_ENV === 'production') {
    throw new ConfigError('AUTH_MODE=local is refused when NODE_ENV=production');
  }
  return mode;
}
