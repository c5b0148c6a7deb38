// The identity and session lifecycle of the local identity provider: profile changes, deletion, token
// refresh, ending sessions, the events it emits for the webhook sender, and what it persists.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';

import path from 'node:path';
import { verifyToken } from '@clerk/backend';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLocalIdentityProvider,
  DEFAULT_SESSION_TTL_SECONDS,
  DEMO_IDENTITIES,
  generateSigningKey,
  IdentityNotFoundError,
  IdentityProtectedError,
  InvalidIdentityInputError,
  LocalStateError,
  MAX_SESSION_TTL_SECONDS,
  SessionNotFoundError,
  type LocalAuthEvent,
  type LocalIdentity,
  type LocalIdentityProvider,
  type LocalIdentityProviderOptions,
} from './local-identity.js';
import { tempDirs } from '../../test/support/temp-dirs.js';

const PARTY = 'http://localhost:3000';
const START = 1_800_000_000_000;
/** One RSA key for every provider here: generating one per test would dominate the run time. */
const SIGNING_KEY = generateSigningKey();

/** A clock the test moves by hand. */
function manualClock(start = START) {
  const clock = { now: start, advance: (ms: number) => (clock.now += ms) };
  return clock;
}

interface Harness {
  provider: LocalIdentityProvider;
  events: LocalAuthEvent[];
  clock: ReturnType<typeof manualClock>;
}

async function harness(options: Partial<LocalIdentityProviderOptions> = {}): Promise<Harness> {
  const events: LocalAuthEvent[] = [];
  const clock = manualClock();
  const provider = await createLocalIdentityProvider({
    stateDir: null,
    authorizedParty: PARTY,
    now: () => clock.now,
    signingKey: SIGNING_KEY,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { provider, events, clock };
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

function typesOf(events: LocalAuthEvent[]): string[] {
  return events.map((event) => event.type);
}

/** The rejection of `promise`, which must reject. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const stateDirs = tempDirs('local-identity-lifecycle-');
const makeStateDir = () => stateDirs.make();
afterEach(() => stateDirs.removeAll());

async function readIdentitiesFile(stateDir: string): Promise<{ version: number; identities: LocalIdentity[] }> {
  return JSON.parse(await readFile(path.join(stateDir, 'identities.json'), 'utf8')) as {
    version: number;
    identities: LocalIdentity[];
  };
}

// ---------------------------------------------------------------------------------------------------------
// updateIdentity

describe('updateIdentity', () => {
  it('changes only the given fields, emits user.updated and returns a frozen identity', async () => {
    const { provider, events, clock } = await harness();
    const created = await provider.createIdentity({ email: 'erin@example.com', firstName: 'Erin', lastName: 'Old' });
    events.length = 0;
    clock.advance(1_000);

    const updated = await provider.updateIdentity(created.clerkId, { lastName: 'New' });
    expect(updated).toEqual({ ...created, lastName: 'New', updatedAt: START + 1_000 });
    expect(Object.isFrozen(updated)).toBe(true);
    expect(provider.findIdentityByClerkId(created.clerkId)).toEqual(updated);
    expect(provider.findIdentityByEmail('erin@example.com')).toEqual(updated);
    expect(events).toEqual([{ type: 'user.updated', identity: updated }]);
  });

  it('trims names, turns empty ones into null, and clears fields set to null', async () => {
    const { provider } = await harness();
    const id = 'user_local_alice';
    expect(await provider.updateIdentity(id, { firstName: '  Alicia  ', lastName: '   ' })).toMatchObject({
      firstName: 'Alicia',
      lastName: null,
    });
    expect(await provider.updateIdentity(id, { firstName: null, lastName: 'Anders' })).toMatchObject({
      firstName: null,
      lastName: 'Anders',
    });
    expect(await provider.updateIdentity(id, { firstName: '' })).toMatchObject({ firstName: null });
  });

  it('sets and clears the image URL', async () => {
    const { provider } = await harness();
    const url = 'https://img.example.com/alice.png';
    expect((await provider.updateIdentity('user_local_alice', { imageUrl: url })).imageUrl).toBe(url);
    expect((await provider.updateIdentity('user_local_alice', { firstName: 'A' })).imageUrl).toBe(url);
    expect((await provider.updateIdentity('user_local_alice', { imageUrl: null })).imageUrl).toBeNull();
  });

  it('keeps a demo identity email and its place in the list', async () => {
    const { provider } = await harness();
    const updated = await provider.updateIdentity('user_local_bob', { firstName: 'Robert' });
    expect(updated).toMatchObject({ clerkId: 'user_local_bob', email: 'bob@example.com', firstName: 'Robert' });
    expect(provider.listIdentities().map((identity) => identity.clerkId)).toEqual(
      DEMO_IDENTITIES.map((identity) => identity.clerkId),
    );
    // The exported demo list itself is untouched.
    expect(DEMO_IDENTITIES.find((identity) => identity.clerkId === 'user_local_bob')?.firstName).toBe('Bob');
  });

  it.each([
    [{ email: 'new@example.com' }, 'Unrecognized key: "email"'],
    [{ first_name: 'Snake' }, 'Unrecognized key: "first_name"'],
    [{ firstName: 'x'.repeat(101) }, 'firstName: must be at most 100 characters'],
    [{ lastName: 42 }, /^lastName: /],
    [{ imageUrl: 'ftp://img.example.com/a.png' }, 'imageUrl: must be an http or https URL'],
    [{ imageUrl: 'javascript:alert(1)' }, 'imageUrl: must be an http or https URL'],
    [{ imageUrl: 'not a url' }, 'imageUrl: must be an http or https URL'],
    [{ imageUrl: `https://img.example.com/${'a'.repeat(2048)}` }, 'imageUrl: must be at most 2048 characters'],
  ])('refuses %j with InvalidIdentityInputError, changing nothing', async (update, message) => {
    const { provider, events, clock } = await harness();
    const before = provider.findIdentityByClerkId('user_local_alice');
    clock.advance(1_000);
    const error = await rejectionOf(provider.updateIdentity('user_local_alice', update as never));
    expect(error).toBeInstanceOf(InvalidIdentityInputError);
    expect((error as InvalidIdentityInputError).code).toBe('invalid_input');
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
    expect(provider.findIdentityByClerkId('user_local_alice')).toBe(before);
    expect(events).toEqual([]);
  });

  it('accepts names of exactly 100 characters', async () => {
    const { provider } = await harness();
    const name = 'n'.repeat(100);
    expect((await provider.updateIdentity('user_local_alice', { firstName: name })).firstName).toBe(name);
  });

  it('refuses an unknown identity with IdentityNotFoundError by id', async () => {
    const { provider, events } = await harness();
    const error = await rejectionOf(provider.updateIdentity('user_local_nobody', { firstName: 'X' }));
    expect(error).toBeInstanceOf(IdentityNotFoundError);
    expect(error).toMatchObject({
      code: 'identity_not_found',
      lookup: 'user_local_nobody',
      message: 'No local identity with id user_local_nobody',
    });
    expect(events).toEqual([]);
  });

  it('keeps updatedAt strictly increasing, even when the clock stands still or goes back', async () => {
    const { provider, clock } = await harness();
    const created = await provider.createIdentity({ email: 'tick@example.com' });
    expect(created.updatedAt).toBe(START);

    const stamps = [created.updatedAt];
    for (const step of [0, 0, -60_000, 5_000]) {
      clock.advance(step);
      stamps.push((await provider.updateIdentity(created.clerkId, { firstName: `n${stamps.length}` })).updatedAt);
    }
    expect(stamps).toEqual([START, START + 1, START + 2, START + 3, START + 4]);
  });

  it('follows the clock when it moves forward', async () => {
    const { provider, clock } = await harness();
    clock.advance(10_000);
    expect((await provider.updateIdentity('user_local_admin', { lastName: 'A' })).updatedAt).toBe(START + 10_000);
    clock.advance(10_000);
    expect((await provider.updateIdentity('user_local_admin', { lastName: 'B' })).updatedAt).toBe(START + 20_000);
  });

  it('applies overlapping updates one after the other, each with its own updatedAt', async () => {
    const { provider, events } = await harness();
    const [first, second] = await Promise.all([
      provider.updateIdentity('user_local_alice', { firstName: 'Ally' }),
      provider.updateIdentity('user_local_alice', { lastName: 'Andersen' }),
    ]);
    expect(second).toMatchObject({ firstName: 'Ally', lastName: 'Andersen' });
    expect(second!.updatedAt).toBeGreaterThan(first!.updatedAt);
    expect(provider.findIdentityByClerkId('user_local_alice')).toEqual(second);
    expect(typesOf(events)).toEqual(['user.updated', 'user.updated']);
  });

  it('is reflected in tokens minted afterwards', async () => {
    const { provider } = await harness({ now: Date.now });
    const session = provider.startSession('alice@example.com');
    await provider.updateIdentity('user_local_alice', {
      firstName: 'Alicia',
      lastName: null,
      imageUrl: 'https://img.example.com/a.png',
    });
    for (const token of [
      provider.startSession('alice@example.com').token,
      provider.refreshSession(session.sessionId).token,
    ]) {
      const claims = claimsOf(token);
      expect(claims).toMatchObject({ first_name: 'Alicia', image_url: 'https://img.example.com/a.png' });
      expect(claims).not.toHaveProperty('last_name');
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// deleteIdentity

describe('deleteIdentity', () => {
  it('removes a created identity everywhere and emits user.deleted', async () => {
    const { provider, events } = await harness();
    const created = await provider.createIdentity({ email: 'gone@example.com', firstName: 'Gone' });
    events.length = 0;

    expect(await provider.deleteIdentity(created.clerkId)).toEqual(created);
    expect(provider.findIdentityByClerkId(created.clerkId)).toBeUndefined();
    expect(provider.findIdentityByEmail('gone@example.com')).toBeUndefined();
    expect(provider.listIdentities()).toHaveLength(DEMO_IDENTITIES.length);
    expect(events).toEqual([{ type: 'user.deleted', identity: created }]);

    expect(() => provider.startSession('gone@example.com')).toThrow(IdentityNotFoundError);
    await expect(provider.updateIdentity(created.clerkId, { firstName: 'Back' })).rejects.toBeInstanceOf(
      IdentityNotFoundError,
    );
    expect(events).toHaveLength(1);
  });

  it('refuses a second delete and an unknown id with IdentityNotFoundError', async () => {
    const { provider, events } = await harness();
    const created = await provider.createIdentity({ email: 'twice@example.com' });
    await provider.deleteIdentity(created.clerkId);
    events.length = 0;
    const again = await rejectionOf(provider.deleteIdentity(created.clerkId));
    expect(again).toBeInstanceOf(IdentityNotFoundError);
    expect((again as Error).message).toBe(`No local identity with id ${created.clerkId}`);
    await expect(provider.deleteIdentity('user_local_unknown')).rejects.toBeInstanceOf(IdentityNotFoundError);
    expect(events).toEqual([]);
  });

  it('lets the email be used again, by a new identity with a new id', async () => {
    const { provider } = await harness();
    const first = await provider.createIdentity({ email: 'reuse@example.com' });
    await provider.deleteIdentity(first.clerkId);
    const second = await provider.createIdentity({ email: 'reuse@example.com' });
    expect(second.clerkId).not.toBe(first.clerkId);
    expect(provider.findIdentityByEmail('reuse@example.com')).toEqual(second);
  });

  it.each(DEMO_IDENTITIES.map((identity) => identity.clerkId))(
    'protects demo identity %s, changed or not, and leaves its sessions alone',
    async (clerkId) => {
      const { provider, events } = await harness();
      const demo = provider.findIdentityByClerkId(clerkId)!;
      const session = provider.startSession(demo.email);
      events.length = 0;

      const error = await rejectionOf(provider.deleteIdentity(clerkId));
      expect(error).toBeInstanceOf(IdentityProtectedError);
      expect(error).toMatchObject({ code: 'identity_protected', clerkId });
      expect((error as Error).message).toContain(clerkId);
      expect(provider.findIdentityByClerkId(clerkId)).toEqual(demo);
      expect(provider.getSession(session.sessionId)?.endedAt).toBeNull();
      expect(events).toEqual([]);

      await provider.updateIdentity(clerkId, { firstName: 'Changed' });
      await expect(provider.deleteIdentity(clerkId)).rejects.toBeInstanceOf(IdentityProtectedError);
      expect(provider.findIdentityByClerkId(clerkId)?.firstName).toBe('Changed');
    },
  );

  it("ends the identity's active sessions, after user.deleted, and no one else's", async () => {
    const { provider, events, clock } = await harness();
    const created = await provider.createIdentity({ email: 'busy@example.com' });
    const one = provider.startSession('busy@example.com');
    const two = provider.startSession('busy@example.com');
    const alreadyEnded = provider.startSession('busy@example.com');
    const other = provider.startSession('alice@example.com');
    clock.advance(1_000);
    provider.endSession(alreadyEnded.sessionId);
    clock.advance(1_000);
    events.length = 0;

    await provider.deleteIdentity(created.clerkId);

    expect(typesOf(events)).toEqual(['user.deleted', 'session.ended', 'session.ended']);
    const endedIds = events.slice(1).map((event) => ('session' in event ? event.session.sessionId : undefined));
    expect(endedIds.sort()).toEqual([one.sessionId, two.sessionId].sort());
    for (const event of events.slice(1)) {
      expect(event).toMatchObject({ session: { userId: created.clerkId, endedAt: START + 2_000 } });
    }
    expect(provider.getSession(one.sessionId)?.endedAt).toBe(START + 2_000);
    expect(provider.getSession(two.sessionId)?.endedAt).toBe(START + 2_000);
    expect(provider.getSession(alreadyEnded.sessionId)?.endedAt).toBe(START + 1_000);
    expect(provider.getSession(other.sessionId)?.endedAt).toBeNull();

    // Already ended: ending again is fine and says nothing more; refreshing is refused.
    events.length = 0;
    expect(provider.endSession(one.sessionId)).toBe(true);
    expect(() => provider.refreshSession(two.sessionId)).toThrow(SessionNotFoundError);
    expect(events).toEqual([]);
  });

  it('does not end expired sessions of the identity', async () => {
    const { provider, events, clock } = await harness();
    const created = await provider.createIdentity({ email: 'late@example.com' });
    provider.startSession('late@example.com', { ttlSeconds: 60 });
    clock.advance(61_000);
    events.length = 0;
    await provider.deleteIdentity(created.clerkId);
    expect(typesOf(events)).toEqual(['user.deleted']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Sessions

describe('refreshSession', () => {
  it('mints a fresh verifiable token for the same session and user, without an event', async () => {
    const { provider, events } = await harness({ now: Date.now });
    const session = provider.startSession('bob@example.com', { ttlSeconds: 120 });
    events.length = 0;

    const refreshed = provider.refreshSession(session.sessionId);
    expect(refreshed).toMatchObject({ sessionId: session.sessionId, userId: 'user_local_bob' });
    const payload = await verifyToken(refreshed.token, { jwtKey: provider.publicKeyPem, authorizedParties: [PARTY] });
    expect(payload).toMatchObject({ sub: 'user_local_bob', sid: session.sessionId, azp: PARTY });
    expect(payload.exp - payload.iat).toBe(DEFAULT_SESSION_TTL_SECONDS);
    expect(refreshed.expiresAt).toBe(payload.exp * 1000);
    expect(events).toEqual([]);
  });

  it('honours ttlSeconds and extends the session to the new expiry', async () => {
    const { provider, clock } = await harness();
    const session = provider.startSession('alice@example.com', { ttlSeconds: 60 });
    clock.advance(50_000);
    const refreshed = provider.refreshSession(session.sessionId, { ttlSeconds: 600 });
    const claims = claimsOf(refreshed.token);
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
    expect(refreshed.expiresAt).toBe(START + 50_000 + 600_000);
    expect(provider.getSession(session.sessionId)?.expiresAt).toBe(refreshed.expiresAt);

    // Past the first token's expiry, the session lives on.
    clock.advance(60_000);
    expect(provider.getSession(session.sessionId)).toBeDefined();
    expect(provider.refreshSession(session.sessionId).sessionId).toBe(session.sessionId);
  });

  it('never shortens the session (an earlier, longer token stays valid)', async () => {
    const { provider } = await harness();
    const session = provider.startSession('alice@example.com', { ttlSeconds: 3_600 });
    const refreshed = provider.refreshSession(session.sessionId, { ttlSeconds: 60 });
    expect(refreshed.expiresAt).toBe(START + 60_000);
    expect(provider.getSession(session.sessionId)?.expiresAt).toBe(session.expiresAt);
  });

  it.each([0, -1, 1.5, MAX_SESSION_TTL_SECONDS + 1])('refuses ttlSeconds %d', async (ttlSeconds) => {
    const { provider } = await harness();
    const session = provider.startSession('alice@example.com');
    const error = thrownBy(() => provider.refreshSession(session.sessionId, { ttlSeconds }));
    expect(error).toBeInstanceOf(InvalidIdentityInputError);
    expect((error as Error).message).toMatch(/^ttlSeconds: /);
  });

  it('accepts the largest ttlSeconds', async () => {
    const { provider } = await harness();
    const session = provider.startSession('alice@example.com');
    const refreshed = provider.refreshSession(session.sessionId, { ttlSeconds: MAX_SESSION_TTL_SECONDS });
    expect(refreshed.expiresAt).toBe(START + MAX_SESSION_TTL_SECONDS * 1000);
  });

  it('refuses an unknown session with SessionNotFoundError', async () => {
    const { provider } = await harness();
    const error = thrownBy(() => provider.refreshSession('sess_local_unknown'));
    expect(error).toBeInstanceOf(SessionNotFoundError);
    expect(error).toMatchObject({ code: 'session_not_found', sessionId: 'sess_local_unknown' });
  });

  it('refuses an ended session', async () => {
    const { provider } = await harness();
    const session = provider.startSession('alice@example.com');
    provider.endSession(session.sessionId);
    expect(() => provider.refreshSession(session.sessionId)).toThrow(SessionNotFoundError);
  });

  it('refuses an expired session, from the moment of its expiry', async () => {
    const { provider, clock } = await harness();
    const session = provider.startSession('alice@example.com', { ttlSeconds: 60 });
    clock.advance(59_999);
    expect(provider.refreshSession(session.sessionId, { ttlSeconds: 1 }).sessionId).toBe(session.sessionId);
    clock.advance(1);
    // The refresh above did not shorten it: it still expires at the original 60 s.
    expect(provider.getSession(session.sessionId)).toBeUndefined();
    expect(() => provider.refreshSession(session.sessionId)).toThrow(SessionNotFoundError);
  });

  it('refuses a session whose identity was deleted', async () => {
    const { provider } = await harness();
    await provider.createIdentity({ email: 'short@example.com' });
    const session = provider.startSession('short@example.com');
    await provider.deleteIdentity(session.userId);
    expect(() => provider.refreshSession(session.sessionId)).toThrow(SessionNotFoundError);
  });
});

describe('session events', () => {
  it('startSession emits session.created with the session record', async () => {
    const { provider, events } = await harness();
    const session = provider.startSession('Alice@Example.com', { ttlSeconds: 90 });
    expect(events).toEqual([
      {
        type: 'session.created',
        session: {
          sessionId: session.sessionId,
          userId: 'user_local_alice',
          expiresAt: START + 90_000,
          endedAt: null,
          createdAt: START,
        },
      },
    ]);
  });

  it('a refused startSession emits nothing', async () => {
    const { provider, events } = await harness();
    expect(() => provider.startSession('nobody@example.com')).toThrow(IdentityNotFoundError);
    expect(() => provider.startSession('alice@example.com', { ttlSeconds: 0 })).toThrow(InvalidIdentityInputError);
    expect(events).toEqual([]);
  });

  it('endSession emits session.ended once, with the end time', async () => {
    const { provider, events, clock } = await harness();
    const session = provider.startSession('alice@example.com');
    clock.advance(5_000);
    events.length = 0;

    expect(provider.endSession(session.sessionId)).toBe(true);
    expect(events).toEqual([
      {
        type: 'session.ended',
        session: {
          sessionId: session.sessionId,
          userId: 'user_local_alice',
          expiresAt: session.expiresAt,
          endedAt: START + 5_000,
          createdAt: START,
        },
      },
    ]);
    clock.advance(5_000);
    expect(provider.endSession(session.sessionId)).toBe(true);
    expect(events).toHaveLength(1);
    expect(provider.getSession(session.sessionId)?.endedAt).toBe(START + 5_000);
  });

  it('endSession of an unknown or expired session is false and emits nothing', async () => {
    const { provider, events, clock } = await harness();
    const session = provider.startSession('alice@example.com', { ttlSeconds: 60 });
    clock.advance(60_000);
    events.length = 0;
    expect(provider.endSession(session.sessionId)).toBe(false);
    expect(provider.endSession('sess_local_unknown')).toBe(false);
    expect(events).toEqual([]);
  });

  it('hands out copies: changing an event record does not change the session', async () => {
    const { provider, events } = await harness();
    const session = provider.startSession('alice@example.com');
    const emitted = events[0];
    if (emitted?.type !== 'session.created') throw new Error('expected session.created');
    emitted.session.endedAt = 1;
    emitted.session.expiresAt = 1;
    expect(provider.getSession(session.sessionId)).toMatchObject({ endedAt: null, expiresAt: session.expiresAt });
    provider.getSession(session.sessionId)!.endedAt = 2;
    expect(provider.getSession(session.sessionId)?.endedAt).toBeNull();
    expect(() => provider.refreshSession(session.sessionId)).not.toThrow();
  });

  it('createIdentity emits user.created; a refused create emits nothing', async () => {
    const { provider, events } = await harness();
    const created = await provider.createIdentity({ email: 'new@example.com', lastName: 'New' });
    expect(events).toEqual([{ type: 'user.created', identity: created }]);
    await expect(provider.createIdentity({ email: 'new@example.com' })).rejects.toThrow();
    await expect(provider.createIdentity({ email: 'not-an-email' })).rejects.toThrow();
    expect(events).toHaveLength(1);
  });

  it('a whole lifecycle emits the events in the order things happened', async () => {
    const { provider, events } = await harness();
    const created = await provider.createIdentity({ email: 'life@example.com' });
    const session = provider.startSession('life@example.com');
    provider.refreshSession(session.sessionId);
    await provider.updateIdentity(created.clerkId, { firstName: 'Life' });
    provider.endSession(session.sessionId);
    provider.startSession('life@example.com');
    await provider.deleteIdentity(created.clerkId);
    expect(typesOf(events)).toEqual([
      'user.created',
      'session.created',
      'user.updated',
      'session.ended',
      'session.created',
      'user.deleted',
      'session.ended',
    ]);
  });

  it('works without an onEvent listener', async () => {
    const provider = await createLocalIdentityProvider({
      stateDir: null,
      authorizedParty: PARTY,
      signingKey: SIGNING_KEY,
    });
    const created = await provider.createIdentity({ email: 'quiet@example.com' });
    const session = provider.startSession('quiet@example.com');
    await provider.updateIdentity(created.clerkId, { firstName: 'Q' });
    expect(provider.endSession(session.sessionId)).toBe(true);
    expect(await provider.deleteIdentity(created.clerkId)).toMatchObject({ firstName: 'Q' });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Persistence

describe('persistence of changes', () => {
  it('persists a changed created identity; a restart sees the change', async () => {
    const stateDir = await makeStateDir();
    const { provider, clock } = await harness({ stateDir });
    const created = await provider.createIdentity({ email: 'kept@example.com', firstName: 'Kept' });
    clock.advance(1_000);
    const updated = await provider.updateIdentity(created.clerkId, {
      lastName: 'Changed',
      imageUrl: 'https://img.example.com/k.png',
    });

    expect((await readIdentitiesFile(stateDir)).identities).toEqual([updated]);
    const { provider: reloaded } = await harness({ stateDir });
    expect(reloaded.findIdentityByClerkId(created.clerkId)).toEqual(updated);
  });

  it('persists a changed demo identity only, and keeps the list order across restarts', async () => {
    const stateDir = await makeStateDir();
    const { provider } = await harness({ stateDir });
    const created = await provider.createIdentity({ email: 'zed@example.com' });
    const bob = await provider.updateIdentity('user_local_bob', { firstName: 'Robert' });

    const file = await readIdentitiesFile(stateDir);
    expect(file.version).toBe(1);
    expect(file.identities.map((identity) => identity.clerkId)).toEqual([created.clerkId, 'user_local_bob']);

    const { provider: reloaded } = await harness({ stateDir });
    expect(reloaded.findIdentityByClerkId('user_local_bob')).toEqual(bob);
    expect(reloaded.findIdentityByClerkId('user_local_alice')).toEqual(DEMO_IDENTITIES[0]);
    expect(reloaded.listIdentities().map((identity) => identity.clerkId)).toEqual([
      ...DEMO_IDENTITIES.map((identity) => identity.clerkId),
      created.clerkId,
    ]);
    // Still protected after the restart.
    await expect(reloaded.deleteIdentity('user_local_bob')).rejects.toBeInstanceOf(IdentityProtectedError);
  });

  it('keeps the fixed email of a demo identity whatever the file says', async () => {
    const stateDir = await makeStateDir();
    const edited = { ...DEMO_IDENTITIES[0]!, email: 'hijack@example.com', firstName: 'Edited', updatedAt: START };
    await writeFile(path.join(stateDir, 'identities.json'), JSON.stringify({ version: 1, identities: [edited] }));
    const { provider } = await harness({ stateDir });
    expect(provider.findIdentityByClerkId('user_local_alice')).toEqual({ ...edited, email: 'alice@example.com' });
    expect(provider.findIdentityByEmail('hijack@example.com')).toBeUndefined();
    expect(provider.findIdentityByEmail('alice@example.com')?.firstName).toBe('Edited');
  });

  it('loads a file written before updatedAt existed, using createdAt', async () => {
    const stateDir = await makeStateDir();
    const old = {
      clerkId: 'user_local_0011223344556677aabb',
      email: 'old@example.com',
      firstName: 'Old',
      lastName: null,
      imageUrl: null,
      createdAt: START - 86_400_000,
    };
    await writeFile(path.join(stateDir, 'identities.json'), JSON.stringify({ version: 1, identities: [old] }));
    const { provider } = await harness({ stateDir });
    expect(provider.findIdentityByClerkId(old.clerkId)).toEqual({ ...old, updatedAt: old.createdAt });
    const updated = await provider.updateIdentity(old.clerkId, { lastName: 'Timer' });
    expect(updated.updatedAt).toBe(START);
    expect((await readIdentitiesFile(stateDir)).identities).toEqual([updated]);
  });

  it('refuses an identities file with a malformed updatedAt', async () => {
    const stateDir = await makeStateDir();
    const bad = { ...DEMO_IDENTITIES[1]!, updatedAt: 'yesterday' };
    await writeFile(path.join(stateDir, 'identities.json'), JSON.stringify({ version: 1, identities: [bad] }));
    const error = await rejectionOf(harness({ stateDir }));
    expect(error).toBeInstanceOf(LocalStateError);
    expect((error as Error).message).toMatch(/identities\.json is not in the expected format .*updatedAt/);
  });

  it('forgets a deleted identity on disk', async () => {
    const stateDir = await makeStateDir();
    const { provider } = await harness({ stateDir });
    const stays = await provider.createIdentity({ email: 'stays@example.com' });
    const goes = await provider.createIdentity({ email: 'goes@example.com' });
    await provider.deleteIdentity(goes.clerkId);
    expect((await readIdentitiesFile(stateDir)).identities).toEqual([stays]);
    const { provider: reloaded } = await harness({ stateDir });
    expect(reloaded.findIdentityByClerkId(goes.clerkId)).toBeUndefined();
    expect(reloaded.findIdentityByEmail('goes@example.com')).toBeUndefined();
  });

  describe('when the identities file cannot be written', () => {
    /** A non-empty directory where the file goes makes the atomic rename fail (also for root). */
    async function blockIdentitiesFile(stateDir: string): Promise<void> {
      const file = path.join(stateDir, 'identities.json');
      await rm(file, { force: true });
      await mkdir(path.join(file, 'blocker'), { recursive: true });
    }

    it('an update is undone in memory, rejected and not announced', async () => {
      const stateDir = await makeStateDir();
      const { provider, events, clock } = await harness({ stateDir });
      const created = await provider.createIdentity({ email: 'stuck@example.com', firstName: 'Stuck' });
      events.length = 0;
      await blockIdentitiesFile(stateDir);
      clock.advance(1_000);

      await expect(provider.updateIdentity(created.clerkId, { firstName: 'Moved' })).rejects.toThrow();
      expect(provider.findIdentityByClerkId(created.clerkId)).toEqual(created);
      expect(provider.findIdentityByEmail('stuck@example.com')).toEqual(created);
      expect(events).toEqual([]);

      // A demo identity too.
      await expect(provider.updateIdentity('user_local_alice', { firstName: 'Moved' })).rejects.toThrow();
      expect(provider.findIdentityByClerkId('user_local_alice')).toEqual(DEMO_IDENTITIES[0]);
      expect(events).toEqual([]);
    });

    it('a delete is undone, rejected, not announced, and leaves the sessions running', async () => {
      const stateDir = await makeStateDir();
      const { provider, events } = await harness({ stateDir });
      const created = await provider.createIdentity({ email: 'sticky@example.com' });
      const session = provider.startSession('sticky@example.com');
      events.length = 0;
      await blockIdentitiesFile(stateDir);

      await expect(provider.deleteIdentity(created.clerkId)).rejects.toThrow();
      expect(provider.findIdentityByClerkId(created.clerkId)).toEqual(created);
      expect(provider.findIdentityByEmail('sticky@example.com')).toEqual(created);
      expect(provider.getSession(session.sessionId)?.endedAt).toBeNull();
      expect(events).toEqual([]);
    });

    it('a create is undone, rejected and not announced', async () => {
      const stateDir = await makeStateDir();
      const { provider, events } = await harness({ stateDir });
      await blockIdentitiesFile(stateDir);
      await expect(provider.createIdentity({ email: 'never@example.com' })).rejects.toThrow();
      expect(provider.findIdentityByEmail('never@example.com')).toBeUndefined();
      expect(events).toEqual([]);
    });
  });
});
