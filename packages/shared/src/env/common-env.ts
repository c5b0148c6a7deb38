// The variables both apps read from the one .env at the repository root. They mean the same thing to
// both, so both parse them with these schemas; each app adds its own variables around them.
import { AUTH_MODES } from '../auth-mode.js';
import { envOrigins } from '../authorized-origins.js';
import { envOneOf, envPem, envString } from './env-values.js';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const commonEnvShape = {
  NODE_ENV: envOneOf(NODE_ENVS, 'development'),
  LOG_LEVEL: envOneOf(LOG_LEVELS, 'info'),
  AUTH_MODE: envOneOf(AUTH_MODES),
  CLERK_AUTHORIZED_PARTIES: envOrigins,
  CLERK_SECRET_KEY: envString,
  CLERK_PUBLISHABLE_KEY: envString,
  /** PEM public key for networkless verification, on one line with `\n` escapes. */
  CLERK_JWT_KEY: envPem,
};
