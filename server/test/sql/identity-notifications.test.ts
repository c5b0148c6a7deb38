// Migration 20261207004000_identity_notifications: every change of a column the identity cache holds is
// announced on dealbrain_identity when it commits (ADR 0071), whichever role or path makes it, and nothing
// else is. The columns are those findUserByClerkId (users/provision.ts) and app_api_key_for_prefix return.
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IDENTITY_CHANNEL } from '#src/db/identity-listener.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';

let superuser: pg.Client;
let listener: pg.Client;
const heard: string[] = [];

beforeAll(async () => {
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
  listener = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
  listener.on('notification', (message) => {
    if (message.channel === IDENTITY_CHANNEL) heard.push(message.payload ?? '');
  });
  await listener.query(`LISTEN ${IDENTITY_CHANNEL}`);
});

afterAll(async () => {
  await listener?.end();
  await superuser?.end();
});

const base32 = () => Array.from(randomBytes(8), (byte) => 'abcdefghijklmnopqrstuvwxyz234567'[byte % 32]).join('');

async function newUser(): Promise<{ id: string; clerkId: string }> {
  const clerkId = `user_notify_${randomUUID()}`;
  const { rows } = await superuser.query<{ id: string }>(
    `INSERT INTO users (clerk_id, email) VALUES ($1, $2) RETURNING id::text`,
    [clerkId, `${clerkId}@example.test`],
  );
  return { id: rows[0]!.id, clerkId };
}

async function newKey(ownerId: string): Promise<{ id: string; prefix: string }> {
  const prefix = `dbk_${base32()}`;
  const { rows } = await superuser.query<{ id: string }>(
    `INSERT INTO api_keys (owner_id, name, prefix, hash, scopes) VALUES ($1, 'notify', $2, $3, '{READ}') RETURNING id::text`,
    [ownerId, prefix, randomBytes(32).toString('hex')],
  );
  return { id: rows[0]!.id, prefix };
}

/** What `change` announced, once committed: NOTIFY is delivered after COMMIT, so a short wait is allowed. */
async function announced(change: () => Promise<unknown>): Promise<unknown[]> {
  heard.length = 0;
  await change();
  // A marker sent after the change arrives after its announcements: the queue is in commit order.
  const marker = `marker-${randomUUID()}`;
  await superuser.query('SELECT pg_notify($1, $2)', [IDENTITY_CHANNEL, marker]);
  const deadline = Date.now() + 5_000;
  while (!heard.includes(marker)) {
    if (Date.now() > deadline) throw new Error('the marker never arrived');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return heard.filter((payload) => payload !== marker).map((payload) => JSON.parse(payload) as unknown);
}

describe('users', () => {
  it.each([
    ['role', `role = 'ADMIN'`],
    ['active', 'active = false'],
    ['deleted_at', 'deleted_at = now()'],
    ['clerk_id', `clerk_id = clerk_id || '_renamed'`],
    ['id', 'id = gen_random_uuid()'],
  ])('announces a change of %s, with the old Clerk id and user id', async (_column, set) => {
    const user = await newUser();
    const payloads = await announced(() => superuser.query(`UPDATE users SET ${set} WHERE id = $1`, [user.id]));
    expect(payloads).toEqual([{ kind: 'user', clerkId: user.clerkId, userId: user.id }]);
  });

  it('announces a deleted row', async () => {
    const user = await newUser();
    expect(await announced(() => superuser.query('DELETE FROM users WHERE id = $1', [user.id]))).toEqual([
      { kind: 'user', clerkId: user.clerkId, userId: user.id },
    ]);
  });

  it('announces nothing for what no cache holds, nor for a write that changes nothing it holds', async () => {
    const user = await newUser();
    const payloads = await announced(async () => {
      await superuser.query(`UPDATE users SET first_name = 'New', email = 'x@example.test' WHERE id = $1`, [user.id]);
      await superuser.query(`UPDATE users SET role = role, active = active WHERE id = $1`, [user.id]);
    });
    expect(payloads).toEqual([]);
  });

  it('announces nothing for a change rolled back', async () => {
    const user = await newUser();
    const payloads = await announced(async () => {
      await superuser.query('BEGIN');
      await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [user.id]);
      await superuser.query('ROLLBACK');
    });
    expect(payloads).toEqual([]);
  });
});

describe('api_keys', () => {
  it.each([
    ['revoked_at', 'revoked_at = now()'],
    ['expires_at', `expires_at = now() + interval '1 day'`],
    ['scopes', `scopes = '{READ,WRITE}'`],
    ['hash', `hash = repeat('a', 64)`],
    ['prefix', `prefix = 'dbk_zzzzzzzz'`],
    ['id', 'id = gen_random_uuid()'],
  ])('announces a change of %s, with the old prefix', async (_column, set) => {
    const key = await newKey((await newUser()).id);
    const payloads = await announced(() => superuser.query(`UPDATE api_keys SET ${set} WHERE id = $1`, [key.id]));
    expect(payloads).toEqual([{ kind: 'api_key', prefix: key.prefix }]);
    // Tidy the fixed prefix away for the next run on this database.
    await superuser.query(`DELETE FROM api_keys WHERE prefix = 'dbk_zzzzzzzz'`);
  });

  it('announces a change of owner', async () => {
    const key = await newKey((await newUser()).id);
    const other = await newUser();
    const payloads = await announced(() =>
      superuser.query('UPDATE api_keys SET owner_id = $2 WHERE id = $1', [key.id, other.id]),
    );
    expect(payloads).toEqual([{ kind: 'api_key', prefix: key.prefix }]);
  });

  it('announces a deleted row, and nothing for its last use or its name', async () => {
    const key = await newKey((await newUser()).id);
    const quiet = await announced(() =>
      superuser.query(`UPDATE api_keys SET last_used_at = now(), name = 'renamed' WHERE id = $1`, [key.id]),
    );
    expect(quiet).toEqual([]);
    expect(await announced(() => superuser.query('DELETE FROM api_keys WHERE id = $1', [key.id]))).toEqual([
      { kind: 'api_key', prefix: key.prefix },
    ]);
  });
});
