// Sessions: start, refresh, end, expiry, and the session events the webhook sender turns into Clerk's.
import { verifyToken } from '@clerk/backend';
import { describe, expect, it } from 'vitest';
import type { LocalIdentityError } from './errors.js';
import { createLocalIdentityProvider } from './index.js';
import { DEFAULT_SESSION_TTL_SECONDS, MAX_SESSION_TTL_SECONDS } from './sessions.js';
import {
  claimsOf,
  harness,
  PARTY,
  refusal,
  rejectionOf,
  SIGNING_KEY,
  START,
  typesOf,
} from '../../../test/support/local-identity.js';

describe('sessions', () => {
  it('are remembered after they end, and unknown ones are reported', async () => {
    const { provider } = await harness({ now: () => 1_800_000_000_000 });
    const session = await provider.startSession('alice@example.com');
    expect(provider.getSession(session.sessionId)).toEqual({
      sessionId: session.sessionId,
      userId: 'user_local_alice',
      expiresAt: session.expiresAt,
      endedAt: null,
      createdAt: 1_800_000_000_000,
    });
    expect(provider.endSession(session.sessionId)).toBe(true);
    expect(provider.endSession(session.sessionId)).toBe(true);
    expect(provider.getSession(session.sessionId)?.endedAt).toBe(1_800_000_000_000);
    expect(provider.endSession('sess_local_unknown')).toBe(false);
  });
});

describe('refreshSession', () => {
  it('mints a fresh verifiable token for the same session and user, without an event', async () => {
    const { provider, events } = await harness({ now: Date.now });
    const session = await provider.startSession('bob@example.com', { ttlSeconds: 120 });
    events.length = 0;

    const refreshed = await provider.refreshSession(session.sessionId);
    expect(refreshed).toMatchObject({ sessionId: session.sessionId, userId: 'user_local_bob' });
    const payload = await verifyToken(refreshed.token, { jwtKey: provider.publicKeyPem, authorizedParties: [PARTY] });
    expect(payload).toMatchObject({ sub: 'user_local_bob', sid: session.sessionId, azp: PARTY });
    expect(payload.exp - payload.iat).toBe(DEFAULT_SESSION_TTL_SECONDS);
    expect(refreshed.expiresAt).toBe(payload.exp * 1000);
    expect(events).toEqual([]);
  });

  it('honours ttlSeconds and extends the session to the new expiry', async () => {
    const { provider, clock } = await harness();
    const session = await provider.startSession('alice@example.com', { ttlSeconds: 60 });
    clock.advance(50_000);
    const refreshed = await provider.refreshSession(session.sessionId, { ttlSeconds: 600 });
    const claims = claimsOf(refreshed.token);
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
    expect(refreshed.expiresAt).toBe(START + 50_000 + 600_000);
    expect(provider.getSession(session.sessionId)?.expiresAt).toBe(refreshed.expiresAt);

    // Past the first token's expiry, the session lives on.
    clock.advance(60_000);
    expect(provider.getSession(session.sessionId)).toBeDefined();
    expect((await provider.refreshSession(session.sessionId)).sessionId).toBe(session.sessionId);
  });

  it('never shortens the session (an earlier, longer token stays valid)', async () => {
    const { provider } = await harness();
    const session = await provider.startSession('alice@example.com', { ttlSeconds: 3_600 });
    const refreshed = await provider.refreshSession(session.sessionId, { ttlSeconds: 60 });
    expect(refreshed.expiresAt).toBe(START + 60_000);
    expect(provider.getSession(session.sessionId)?.expiresAt).toBe(session.expiresAt);
  });

  it.each([0, -1, 1.5, MAX_SESSION_TTL_SECONDS + 1])('refuses ttlSeconds %d', async (ttlSeconds) => {
    const { provider } = await harness();
    const session = await provider.startSession('alice@example.com');
    const error = await rejectionOf(provider.refreshSession(session.sessionId, { ttlSeconds }));
    expect(error).toMatchObject(refusal('invalid_input'));
    expect((error as Error).message).toMatch(/^ttlSeconds: /);
    expect((error as LocalIdentityError).issues[0]?.path).toEqual(['ttlSeconds']);
  });

  it('accepts the largest ttlSeconds', async () => {
    const { provider } = await harness();
    const session = await provider.startSession('alice@example.com');
    const refreshed = await provider.refreshSession(session.sessionId, { ttlSeconds: MAX_SESSION_TTL_SECONDS });
    expect(refreshed.expiresAt).toBe(START + MAX_SESSION_TTL_SECONDS * 1000);
  });

  it('refuses an unknown session as session_not_found', async () => {
    const { provider } = await harness();
    const error = await rejectionOf(provider.refreshSession('sess_local_unknown'));
    expect(error).toMatchObject(
      refusal('session_not_found', 'No active session with this id (ended, expired, or never started here)'),
    );
  });

  it('refuses an ended session', async () => {
    const { provider } = await harness();
    const session = await provider.startSession('alice@example.com');
    provider.endSession(session.sessionId);
    await expect(provider.refreshSession(session.sessionId)).rejects.toMatchObject(refusal('session_not_found'));
  });

  it('refuses an expired session, from the moment of its expiry', async () => {
    const { provider, clock } = await harness();
    const session = await provider.startSession('alice@example.com', { ttlSeconds: 60 });
    clock.advance(59_999);
    expect((await provider.refreshSession(session.sessionId, { ttlSeconds: 1 })).sessionId).toBe(session.sessionId);
    clock.advance(1);
    // The refresh above did not shorten it: it still expires at the original 60 s.
    expect(provider.getSession(session.sessionId)).toBeUndefined();
    await expect(provider.refreshSession(session.sessionId)).rejects.toMatchObject(refusal('session_not_found'));
  });

  it('refuses a session whose identity was deleted', async () => {
    const { provider } = await harness();
    await provider.createIdentity({ email: 'short@example.com' });
    const session = await provider.startSession('short@example.com');
    await provider.deleteIdentity(session.userId);
    await expect(provider.refreshSession(session.sessionId)).rejects.toMatchObject(refusal('session_not_found'));
  });
});

describe('session events', () => {
  it('startSession emits session.created with the session record', async () => {
    const { provider, events } = await harness();
    const session = await provider.startSession('Alice@Example.com', { ttlSeconds: 90 });
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
    await expect(provider.startSession('nobody@example.com')).rejects.toMatchObject(refusal('identity_not_found'));
    await expect(provider.startSession('alice@example.com', { ttlSeconds: 0 })).rejects.toMatchObject(
      refusal('invalid_input'),
    );
    expect(events).toEqual([]);
  });

  it('endSession emits session.ended once, with the end time', async () => {
    const { provider, events, clock } = await harness();
    const session = await provider.startSession('alice@example.com');
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
    const session = await provider.startSession('alice@example.com', { ttlSeconds: 60 });
    clock.advance(60_000);
    events.length = 0;
    expect(provider.endSession(session.sessionId)).toBe(false);
    expect(provider.endSession('sess_local_unknown')).toBe(false);
    expect(events).toEqual([]);
  });

  it('hands out copies: changing an event record does not change the session', async () => {
    const { provider, events } = await harness();
    const session = await provider.startSession('alice@example.com');
    const emitted = events[0];
    if (emitted?.type !== 'session.created') throw new Error('expected session.created');
    emitted.session.endedAt = 1;
    emitted.session.expiresAt = 1;
    expect(provider.getSession(session.sessionId)).toMatchObject({ endedAt: null, expiresAt: session.expiresAt });
    provider.getSession(session.sessionId)!.endedAt = 2;
    expect(provider.getSession(session.sessionId)?.endedAt).toBeNull();
    await expect(provider.refreshSession(session.sessionId)).resolves.toMatchObject({ sessionId: session.sessionId });
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
    const session = await provider.startSession('life@example.com');
    await provider.refreshSession(session.sessionId);
    await provider.updateIdentity(created.clerkId, { firstName: 'Life' });
    provider.endSession(session.sessionId);
    await provider.startSession('life@example.com');
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
    const session = await provider.startSession('quiet@example.com');
    await provider.updateIdentity(created.clerkId, { firstName: 'Q' });
    expect(provider.endSession(session.sessionId)).toBe(true);
    expect(await provider.deleteIdentity(created.clerkId)).toMatchObject({ firstName: 'Q' });
  });
});
