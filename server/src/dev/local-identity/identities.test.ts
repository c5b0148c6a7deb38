// Identities: the demo ones and created ones, profile changes, deletion, the events they emit for the
// webhook sender, and what is persisted in the state directory.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_IDENTITIES } from '@deal-brain/shared/demo-identities';
import { DEMO_LOCAL_IDENTITIES, type LocalIdentity } from './identities.js';
import { createLocalIdentityProvider } from './index.js';
import { LocalStateError } from '../state-files.js';
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
import { tempDirs } from '../../../test/support/temp-dirs.js';

function memoryProvider(options: Partial<Parameters<typeof createLocalIdentityProvider>[0]> = {}) {
  return createLocalIdentityProvider({ stateDir: null, authorizedParty: PARTY, signingKey: SIGNING_KEY, ...options });
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

describe('identities', () => {
  it('are the shared demo identities, unchanged since a fixed date', () => {
    expect(DEMO_LOCAL_IDENTITIES).toEqual(
      DEMO_IDENTITIES.map(({ clerkId, email, firstName, lastName }) => {
        const since = Date.UTC(2024, 0, 1);
        return { clerkId, email, firstName, lastName, imageUrl: null, createdAt: since, updatedAt: since };
      }),
    );
  });

  it('always knows the demo identities, case-insensitively', async () => {
    const provider = await memoryProvider();
    for (const demo of DEMO_LOCAL_IDENTITIES) {
      expect(provider.findIdentityByEmail(demo.email.toUpperCase())).toEqual(demo);
      expect(provider.findIdentityByClerkId(demo.clerkId)).toEqual(demo);
    }
    expect(provider.findIdentityByEmail('admin@example.com')).toMatchObject({
      clerkId: 'user_local_admin',
      firstName: 'Ada',
      lastName: 'Admin',
    });
    expect(provider.findIdentityByEmail('nobody@example.com')).toBeUndefined();
  });

  it('creates identities with lower-cased email and a local clerk id', async () => {
    const provider = await memoryProvider({ now: () => 1_700_000_000_000 });
    const identity = await provider.createIdentity({
      email: ' Carol@Example.COM ',
      firstName: ' Carol ',
      lastName: '',
    });
    expect(identity).toEqual({
      clerkId: expect.stringMatching(/^user_local_[0-9a-f]{20}$/),
      email: 'carol@example.com',
      firstName: 'Carol',
      lastName: null,
      imageUrl: null,
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_000_000,
    });
    expect(provider.findIdentityByClerkId(identity.clerkId)).toEqual(identity);
    expect(provider.listIdentities().map((i) => i.email)).toEqual([
      ...DEMO_LOCAL_IDENTITIES.map((d) => d.email),
      'carol@example.com',
    ]);
  });

  it('refuses duplicate emails, including demo ones and concurrent creates', async () => {
    const provider = await memoryProvider();
    await expect(provider.createIdentity({ email: 'ALICE@example.com' })).rejects.toMatchObject(
      refusal('identity_exists', 'A local identity with email alice@example.com already exists'),
    );
    const results = await Promise.allSettled([
      provider.createIdentity({ email: 'dave@example.com' }),
      provider.createIdentity({ email: 'dave@example.com' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('refuses invalid input with a specific message', async () => {
    const provider = await memoryProvider();
    await expect(provider.createIdentity({ email: 'not-an-email' })).rejects.toMatchObject({
      ...refusal('invalid_input', 'email: must be a valid email address'),
      issues: [{ path: ['email'], message: 'must be a valid email address' }],
    });
    await expect(provider.createIdentity({ email: 'x@example.com', firstName: 'x'.repeat(101) })).rejects.toThrow(
      /firstName: must be at most 100 characters/,
    );
  });

  it('starting a session for an unknown email is a typed error', async () => {
    const provider = await memoryProvider();
    await expect(provider.startSession('nobody@example.com')).rejects.toMatchObject(
      refusal('identity_not_found', 'No local identity with email nobody@example.com'),
    );
  });
});

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
      DEMO_LOCAL_IDENTITIES.map((identity) => identity.clerkId),
    );
    // The exported demo list itself is untouched.
    expect(DEMO_LOCAL_IDENTITIES.find((identity) => identity.clerkId === 'user_local_bob')?.firstName).toBe('Bob');
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
  ])('refuses %j as invalid_input, changing nothing', async (update, message) => {
    const { provider, events, clock } = await harness();
    const before = provider.findIdentityByClerkId('user_local_alice');
    clock.advance(1_000);
    const error = await rejectionOf(provider.updateIdentity('user_local_alice', update as never));
    expect(error).toMatchObject(refusal('invalid_input'));
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

  it('refuses an unknown identity as identity_not_found by id', async () => {
    const { provider, events } = await harness();
    const error = await rejectionOf(provider.updateIdentity('user_local_nobody', { firstName: 'X' }));
    expect(error).toMatchObject(refusal('identity_not_found', 'No local identity with id user_local_nobody'));
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
    const session = await provider.startSession('alice@example.com');
    await provider.updateIdentity('user_local_alice', {
      firstName: 'Alicia',
      lastName: null,
      imageUrl: 'https://img.example.com/a.png',
    });
    for (const token of [
      (await provider.startSession('alice@example.com')).token,
      (await provider.refreshSession(session.sessionId)).token,
    ]) {
      const claims = claimsOf(token);
      expect(claims).toMatchObject({ first_name: 'Alicia', image_url: 'https://img.example.com/a.png' });
      expect(claims).not.toHaveProperty('last_name');
    }
  });
});

describe('deleteIdentity', () => {
  it('removes a created identity everywhere and emits user.deleted', async () => {
    const { provider, events } = await harness();
    const created = await provider.createIdentity({ email: 'gone@example.com', firstName: 'Gone' });
    events.length = 0;

    expect(await provider.deleteIdentity(created.clerkId)).toEqual(created);
    expect(provider.findIdentityByClerkId(created.clerkId)).toBeUndefined();
    expect(provider.findIdentityByEmail('gone@example.com')).toBeUndefined();
    expect(provider.listIdentities()).toHaveLength(DEMO_LOCAL_IDENTITIES.length);
    expect(events).toEqual([{ type: 'user.deleted', identity: created }]);

    await expect(provider.startSession('gone@example.com')).rejects.toMatchObject(refusal('identity_not_found'));
    await expect(provider.updateIdentity(created.clerkId, { firstName: 'Back' })).rejects.toMatchObject(
      refusal('identity_not_found'),
    );
    expect(events).toHaveLength(1);
  });

  it('refuses a second delete and an unknown id as identity_not_found', async () => {
    const { provider, events } = await harness();
    const created = await provider.createIdentity({ email: 'twice@example.com' });
    await provider.deleteIdentity(created.clerkId);
    events.length = 0;
    const again = await rejectionOf(provider.deleteIdentity(created.clerkId));
    expect(again).toMatchObject(refusal('identity_not_found', `No local identity with id ${created.clerkId}`));
    await expect(provider.deleteIdentity('user_local_unknown')).rejects.toMatchObject(refusal('identity_not_found'));
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

  it.each(DEMO_LOCAL_IDENTITIES.map((identity) => identity.clerkId))(
    'protects demo identity %s, changed or not, and leaves its sessions alone',
    async (clerkId) => {
      const { provider, events } = await harness();
      const demo = provider.findIdentityByClerkId(clerkId)!;
      const session = await provider.startSession(demo.email);
      events.length = 0;

      const error = await rejectionOf(provider.deleteIdentity(clerkId));
      expect(error).toMatchObject(refusal('identity_protected'));
      expect((error as Error).message).toContain(clerkId);
      expect(provider.findIdentityByClerkId(clerkId)).toEqual(demo);
      expect(provider.getSession(session.sessionId)?.endedAt).toBeNull();
      expect(events).toEqual([]);

      await provider.updateIdentity(clerkId, { firstName: 'Changed' });
      await expect(provider.deleteIdentity(clerkId)).rejects.toMatchObject(refusal('identity_protected'));
      expect(provider.findIdentityByClerkId(clerkId)?.firstName).toBe('Changed');
    },
  );

  it("ends the identity's active sessions, after user.deleted, and no one else's", async () => {
    const { provider, events, clock } = await harness();
    const created = await provider.createIdentity({ email: 'busy@example.com' });
    const one = await provider.startSession('busy@example.com');
    const two = await provider.startSession('busy@example.com');
    const alreadyEnded = await provider.startSession('busy@example.com');
    const other = await provider.startSession('alice@example.com');
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
    await expect(provider.refreshSession(two.sessionId)).rejects.toMatchObject(refusal('session_not_found'));
    expect(events).toEqual([]);
  });

  it('does not end expired sessions of the identity', async () => {
    const { provider, events, clock } = await harness();
    const created = await provider.createIdentity({ email: 'late@example.com' });
    await provider.startSession('late@example.com', { ttlSeconds: 60 });
    clock.advance(61_000);
    events.length = 0;
    await provider.deleteIdentity(created.clerkId);
    expect(typesOf(events)).toEqual(['user.deleted']);
  });
});
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
    expect(reloaded.findIdentityByClerkId('user_local_alice')).toEqual(DEMO_LOCAL_IDENTITIES[0]);
    expect(reloaded.listIdentities().map((identity) => identity.clerkId)).toEqual([
      ...DEMO_LOCAL_IDENTITIES.map((identity) => identity.clerkId),
      created.clerkId,
    ]);
    // Still protected after the restart.
    await expect(reloaded.deleteIdentity('user_local_bob')).rejects.toMatchObject(refusal('identity_protected'));
  });

  it('keeps the fixed email of a demo identity whatever the file says', async () => {
    const stateDir = await makeStateDir();
    const edited = { ...DEMO_LOCAL_IDENTITIES[0]!, email: 'hijack@example.com', firstName: 'Edited', updatedAt: START };
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
    const bad = { ...DEMO_LOCAL_IDENTITIES[1]!, updatedAt: 'yesterday' };
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

  it('keeps every identity when creates overlap', async () => {
    const stateDir = await makeStateDir();
    const provider = await createLocalIdentityProvider({ stateDir, authorizedParty: PARTY });
    await Promise.all(['f1', 'f2', 'f3'].map((name) => provider.createIdentity({ email: `${name}@example.com` })));
    const reloaded = await createLocalIdentityProvider({ stateDir, authorizedParty: PARTY });
    expect(reloaded.listIdentities()).toHaveLength(DEMO_LOCAL_IDENTITIES.length + 3);
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
      expect(provider.findIdentityByClerkId('user_local_alice')).toEqual(DEMO_LOCAL_IDENTITIES[0]);
      expect(events).toEqual([]);
    });

    it('a delete is undone, rejected, not announced, and leaves the sessions running', async () => {
      const stateDir = await makeStateDir();
      const { provider, events } = await harness({ stateDir });
      const created = await provider.createIdentity({ email: 'sticky@example.com' });
      const session = await provider.startSession('sticky@example.com');
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
