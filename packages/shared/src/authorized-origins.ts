// CLERK_AUTHORIZED_PARTIES: the origins the web app is served from. A session token's `azp` must be
// one of them, in the API server and in the web app alike.
import { z } from 'zod';
import { ConfigError } from './env/config-error.js';
import { envString } from './env/env-values.js';

/** Where `npm run dev` serves the web app: the origin used when none is configured, outside production. */
export const LOCAL_WEB_ORIGIN = 'http://localhost:3000';

/** Comma-separated bare origins (no path), each normalised as URL does; unset or blank is none. */
export const envOrigins = envString.transform((value, ctx) => {
  const origins: string[] = [];
  for (const origin of (value ?? '').split(',').map((part) => part.trim())) {
    if (!origin) continue;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${origin}" is not a URL` });
      return z.NEVER;
    }
    if (url.origin !== origin.replace(/\/$/, '')) {
      ctx.addIssue({ code: 'custom', message: `"${origin}" must be a bare origin like https://app.example.com` });
      return z.NEVER;
    }
    origins.push(url.origin);
  }
  return origins;
});

/** The configured origins; outside production, the local web app's when none are configured. */
export function authorizedPartiesFor(configured: readonly string[], nodeEnv: string): string[] {
  if (configured.length > 0) return [...configured];
  if (nodeEnv === 'production') {
    throw new ConfigError(
      'CLERK_AUTHORIZED_PARTIES must be set in production (the origins the web app is served from)',
    );
  }
  return [LOCAL_WEB_ORIGIN];
}
