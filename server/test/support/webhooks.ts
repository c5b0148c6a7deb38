// Clerk webhook deliveries for integration tests: fixtures with fresh ids, signed with the real svix
// library, posted to a running test server; and a superuser view of what the sync wrote.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { Webhook } from 'svix';
import { generateWebhookSecret } from '#src/dev/local-webhooks.js';
import { inject } from 'vitest';
import { databaseOf, withDatabase } from './sql.js';

// Made per run: no secret-shaped string is committed, not even a test's.
export const WEBHOOK_SECRET = generateWebhookSecret();
export const WRONG_SECRET = generateWebhookSecret();

export type FixtureName =
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'session.created'
  | 'session.ended'
  | 'session.removed'
  | 'session.revoked'
  | 'email.created';

export interface FixtureOverrides {
  /** The Clerk user id everywhere it appears (data.id of users, data.user_id of sessions). */
  userId?: string;
  sessionId?: string;
  /** data.updated_at of user events, in milliseconds. */
  updatedAt?: number;
  email?: string;
  firstName?: string | null;
}

type Json = Record<string, unknown>;

const fixtureDir = new URL('../fixtures/clerk/', import.meta.url);

export function newClerkUserId(): string {
  return `user_${randomBytes(12).toString('hex')}`;
}

export function newSvixId(): string {
  return `msg_${randomBytes(12).toString('hex')}`;
}

/** A fixture as Clerk would send it, with the given ids and fields swapped in. */
export function clerkFixture(name: FixtureName, overrides: FixtureOverrides = {}): Json {
  const event = JSON.parse(readFileSync(new URL(`${name}.json`, fixtureDir), 'utf8')) as Json;
  const data = event.data as Json;
  if (name.startsWith('user.') && overrides.userId) data.id = overrides.userId;
  if (name.startsWith('session.')) {
    if (overrides.userId) data.user_id = overrides.userId;
    if (overrides.sessionId) data.id = overrides.sessionId;
  }
  if (overrides.updatedAt !== undefined) data.updated_at = overrides.updatedAt;
  if (overrides.firstName !== undefined) data.first_name = overrides.firstName;
  if (overrides.email !== undefined) {
    const addresses = data.email_addresses as Json[];
    const primary = addresses.find((address) => address.id === data.primary_email_address_id);
    if (primary) primary.email_address = overrides.email;
  }
  return event;
}

export interface SignOptions {
  secret?: string;
  svixId?: string;
  /** When the delivery was signed; default now. */
  signedAt?: Date;
}

export interface SignedDelivery {
  svixId: string;
  body: string;
  headers: Record<string, string>;
}

export function signDelivery(payload: Json | string, options: SignOptions = {}): SignedDelivery {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const svixId = options.svixId ?? newSvixId();
  const signedAt = options.signedAt ?? new Date();
  const signature = new Webhook(options.secret ?? WEBHOOK_SECRET).sign(svixId, signedAt, body);
  return {
    svixId,
    body,
    headers: {
      'content-type': 'application/json',
      'svix-id': svixId,
      'svix-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
      'svix-signature': signature,
    },
  };
}

export interface WebhookResponse {
  status: number;
  body: { received?: boolean; outcome?: string; error?: string; message?: string };
}

export async function postWebhook(
  server: { url: string },
  delivery: Pick<SignedDelivery, 'body' | 'headers'>,
): Promise<WebhookResponse> {
  const response = await fetch(`${server.url}/api/webhooks/clerk`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  return { status: response.status, body: (await response.json()) as WebhookResponse['body'] };
}

/** Signs and posts in one go. */
export function deliver(server: { url: string }, payload: Json | string, options: SignOptions = {}) {
  return postWebhook(server, signDelivery(payload, options));
}

// ---------------------------------------------------------------------------------------------------------
// What the sync wrote, read as the superuser (RLS would hide it from every other role).

export interface UserRow {
  id: string;
  clerk_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  avatar_url: string | null;
  active: boolean;
  deleted_at: Date | null;
  last_sign_in_at: Date | null;
  clerk_updated_at: Date | null;
}

export interface WebhookEventRow {
  svix_id: string;
  type: string;
  status: string;
  attempts: number;
  error: string | null;
  processed_at: Date | null;
}

export interface AuditRow {
  type: string;
  actor_id: string | null;
  subject_user_id: string | null;
  metadata: Record<string, unknown>;
}

export class SyncInspector {
  private constructor(private readonly client: pg.Client) {}

  static async connect(): Promise<SyncInspector> {
    const { superuserUrl, url } = inject('database');
    const client = new pg.Client({ connectionString: withDatabase(superuserUrl, databaseOf(url)) });
    await client.connect();
    return new SyncInspector(client);
  }

  async users(clerkId: string): Promise<UserRow[]> {
    const { rows } = await this.client.query<UserRow>('SELECT * FROM users WHERE clerk_id = $1', [clerkId]);
    return rows;
  }

  async user(clerkId: string): Promise<UserRow> {
    const rows = await this.users(clerkId);
    if (rows.length !== 1) throw new Error(`expected one user row for ${clerkId}, found ${rows.length}`);
    return rows[0]!;
  }

  async delivery(svixId: string): Promise<WebhookEventRow | undefined> {
    const { rows } = await this.client.query<WebhookEventRow>('SELECT * FROM webhook_events WHERE svix_id = $1', [
      svixId,
    ]);
    return rows[0];
  }

  /** Audit events about a Clerk user: by subject, or by the Clerk id in the metadata. */
  async audit(clerkId: string): Promise<AuditRow[]> {
    const { rows } = await this.client.query<AuditRow>(
      `SELECT a.type, a.actor_id::text, a.subject_user_id::text, a.metadata
       FROM audit_events a LEFT JOIN users u ON u.id = a.subject_user_id
       WHERE u.clerk_id = $1 OR a.metadata->>'clerkUserId' = $1
       ORDER BY a.created_at, a.xmin::text::bigint`, // xmin: the writing transaction breaks same-millisecond ties
      [clerkId],
    );
    return rows;
  }

  /** Runs SQL as the superuser (test-only triggers and the like). */
  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
