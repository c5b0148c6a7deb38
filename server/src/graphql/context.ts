import type { Logger } from 'pino';
import type { Viewer } from '#src/auth/viewer.js';
import type { ClerkBackend } from '#src/clerk/backend-api.js';
import type { ProfileWriter } from '#src/clerk/profile-writer.js';
import type { RlsClient, TransactionOptions, Tx } from '#src/db/rls.js';
import type { ClientInfo } from '#src/http/client-info.js';

export type ContextDb = Omit<RlsClient, '$transaction'>;

/** Per-request GraphQL context. The database is reachable only as the viewer, under RLS. */
export interface Context {
  requestId: string;
  log: Logger;
  viewer: Viewer | null;
  /** The client's address and user agent, for audit events. */
  client: ClientInfo;
  /**
   * The viewer's RLS client; null for anonymous requests (which reach no protected field). Its
   * $transaction is withheld: on the extended client it would not be atomic. Use withRls.
   */
  db: ContextDb | null;
  /**
   * Values a resolver read ahead, alongside its own, for a later field of the same request (a connection's
   * totalCount), keyed by what they are.
   */
  readAhead: Map<string, unknown>;
  /**
   * How many Mutation root fields of this request have applied their change (committed-mutations.ts): once
   * one has, a database failure is no longer answered 503, so that clients do not repeat the request.
   */
  appliedMutationFields: number;
  /**
   * One atomic transaction as the viewer (a change plus its audit event, say). `options.timeout`: for a
   * transaction that waits on Clerk (admin ban/unban), longer than Clerk's own deadline.
   */
  withRls: <T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions) => Promise<T>;
  /** Clerk's Backend API (the local stand-in's in local mode): one call at a time, with a deadline. */
  clerk: ClerkBackend;
  /** Profile changes: written to Clerk, then Clerk's answer stored with the webhook's guard. */
  profiles: ProfileWriter;
}

/** A context whose scope check has passed: the viewer is signed in. */
export interface SignedInContext extends Context {
  viewer: Viewer;
  db: ContextDb;
}

export function signedIn(ctx: Context): SignedInContext {
  if (!ctx.viewer || !ctx.db) throw new Error('signedIn() called without a viewer: missing authScopes');
  return ctx as SignedInContext;
}
