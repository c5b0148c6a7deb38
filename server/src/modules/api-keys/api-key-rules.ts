// The rules of personal API keys that need no database: names, scopes and expiry. The per-user cap is the
// tenant setting maxApiKeysPerUser (modules/tenant-settings), whose default is API_KEY_LIMITS.maxLivePerUser.
import { API_KEY_LIMITS } from '@deal-brain/shared/field-limits';
import type { ApiKeyScope } from '#src/auth/viewer.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Each scope once, in a fixed order (READ before WRITE). */
export function normalizeScopes(scopes: readonly ApiKeyScope[]): ApiKeyScope[] {
  return (['READ', 'WRITE'] as const).filter((scope) => scopes.includes(scope));
}

/** The latest expiry a key created at `now` may have. */
export function latestExpiry(now: Date): Date {
  return new Date(now.getTime() + API_KEY_LIMITS.maxLifetimeDays * DAY_MS);
}

/** Why `expiresAt` is not acceptable for a key created at `now`, or null when it is. */
export function expiryProblem(expiresAt: Date, now: Date): string | null {
  if (expiresAt.getTime() <= now.getTime()) return 'The expiry must be in the future';
  if (expiresAt.getTime() > latestExpiry(now).getTime()) {
    return `The expiry must be at most ${API_KEY_LIMITS.maxLifetimeDays} days ahead`;
  }
  return null;
}

/** Is a key with this expiry still usable at `now`? (No expiry: until revoked.) */
export function isLive(key: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now.getTime());
}
