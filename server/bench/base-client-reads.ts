// The owner-connection baseline's one difference from the production server: its resolvers read
// through the base client itself, with no RLS wrapper and no role switch. Everything around them
// (HTTP, authentication, Yoga, the pool) stays the production server's.
import type { BasePrisma } from '#src/db/client.js';

/**
 * The viewer's RLS client is `base.$extends(...)`, built per request (src/db/rls.ts). On this
 * server's own client that extension becomes a no-op, so a request's `db` is the base client.
 * Were it not, the owner connection (no app_user role to switch to) would fail the bench's checks.
 */
export function readThroughBaseClient(base: BasePrisma): void {
  Object.defineProperty(base, '$extends', { value: () => base });
}
