import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sessionEvent, userCreatedOrUpdatedEvent, userDeletedEvent } from '../dev/clerk-payloads.js';
import { DEMO_LOCAL_IDENTITIES, type LocalIdentity } from '../dev/local-identity/identities.js';
import { createLocalIdentityProvider, type LocalAuthEvent } from '../dev/local-identity/index.js';
import type { LocalSessionRecord } from '../dev/local-identity/sessions.js';
import {
  InvalidEventError,
  parseClerkEvent,
  primaryEmailAddressOf,
  primaryEmailOf,
  type ClerkEvent,
  type ClerkUser,
} from './clerk-events.js';

const FIXTURES = new URL('../../test/fixtures/clerk/', import.meta.url);

function fixtureText(name: string): string {
  return readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8');
}

function fixture(name: string): Record<string, unknown> & { data: Record<string, unknown> } {
  return JSON.parse(fixtureText(name)) as Record<string, unknown> & { data: Record<string, unknown> };
}

/** The fixture `name` with `data` changed by `edit`, as a raw body. */
function editedFixture(name: string, edit: (data: Record<string, unknown>) => void): string {
  const event = fixture(name);
  edit(event.data);
  return JSON.stringify(event);
}

function parseError(rawBody: string): InvalidEventError {
  try {
    parseClerkEvent(rawBody);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('parseClerkEvent accepted the body');
}

function userOf(event: ClerkEvent): ClerkUser {
  if (event.type !== 'user.created' && event.type !== 'user.updated')
    throw new Error(`not a user event: ${event.type}`);
  return event.data;
}

const CLERK_USER_ID = 'user_29w83sxmDNGwOuEthce5gg56FcC';
const CLERK_SESSION_ID = 'sess_29w83xS9uJpTMuQr3jHhWZ4cZC1';

// ---------------------------------------------------------------------------------------------------------
// Fixtures

describe('parseClerkEvent with the Clerk fixtures', () => {
  it('covers every fixture in the directory', () => {
    const names = readdirSync(FIXTURES)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.replace(/\.json$/, ''))
      .sort();
    expect(names).toEqual([
      'email.created',
      'session.created',
      'session.ended',
      'session.removed',
      'session.revoked',
      'user.created',
      'user.deleted',
      'user.updated',
    ]);
  });

  it('user.created: the typed user, its primary (second) address lower-cased', () => {
    const event = parseClerkEvent(fixtureText('user.created'));
    expect(event.type).toBe('user.created');
    const user = userOf(event);
    expect(user).toMatchObject({
      id: CLERK_USER_ID,
      first_name: 'Example',
      last_name: 'Example',
      image_url: 'https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9',
      updated_at: 1654012591835,
      primary_email_address_id: 'idn_29w83yL7CwVlJXylYLxcslromF1',
    });
    expect(user.email_addresses.map((address) => address.email_address)).toEqual([
      'secondary@example.org',
      'example@example.org',
    ]);
    expect(primaryEmailOf(user)).toBe('example@example.org');
  });

  it('user.updated: the new profile and updated_at', () => {
    const event = parseClerkEvent(fixtureText('user.updated'));
    expect(event.type).toBe('user.updated');
    const user = userOf(event);
    expect(user).toMatchObject({
      id: CLERK_USER_ID,
      first_name: 'Renamed',
      last_name: 'Person',
      image_url: 'https://img.clerk.com/eyJ0eXBlIjoicHJveHkifQ',
      updated_at: 1654012700000,
    });
    expect(primaryEmailOf(user)).toBe('renamed@example.org');
  });

  it('user.deleted: the deleted object', () => {
    expect(parseClerkEvent(fixtureText('user.deleted'))).toEqual({
      type: 'user.deleted',
      data: { id: CLERK_USER_ID, deleted: true, object: 'user' },
    });
  });

  it.each([
    ['session.created', 1654012600000],
    ['session.ended', 1654013600000],
    ['session.removed', 1654013600000],
    ['session.revoked', 1654013600000],
  ] as const)('%s: the session and its user', (type, updatedAt) => {
    const event = parseClerkEvent(fixtureText(type));
    expect(event.type).toBe(type);
    expect(event).toMatchObject({
      data: { id: CLERK_SESSION_ID, user_id: CLERK_USER_ID, created_at: 1654012600000, updated_at: updatedAt },
    });
  });

  it('an event type the server does not handle is "other" with its type', () => {
    expect(parseClerkEvent(fixtureText('email.created'))).toEqual({ type: 'other', eventType: 'email.created' });
  });

  it.each(['organization.created', 'user.banned', 'session.pending', 'x'])('%s is "other"', (type) => {
    expect(parseClerkEvent(JSON.stringify({ type, object: 'event', data: {} }))).toEqual({
      type: 'other',
      eventType: type,
    });
  });

  it('keeps the fields it does not check (loose objects)', () => {
    const user = userOf(parseClerkEvent(fixtureText('user.created')));
    expect(user).toMatchObject({ object: 'user', banned: false, username: null });
  });

  it('accepts null profile fields and a missing email list', () => {
    const user = userOf(
      parseClerkEvent(
        editedFixture('user.created', (data) => {
          data.first_name = null;
          data.last_name = null;
          data.image_url = null;
          data.primary_email_address_id = null;
          delete data.email_addresses;
        }),
      ),
    );
    expect(user).toMatchObject({ first_name: null, last_name: null, image_url: null, email_addresses: [] });
    expect(primaryEmailOf(user)).toBeNull();
  });

  it('accepts a session without updated_at (the sign-in time is created_at)', () => {
    const event = parseClerkEvent(editedFixture('session.created', (data) => delete data.updated_at));
    expect(event).toMatchObject({
      type: 'session.created',
      data: { id: CLERK_SESSION_ID, user_id: CLERK_USER_ID, created_at: 1654012600000 },
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// primaryEmailOf

function user(fields: Partial<ClerkUser>): ClerkUser {
  return { id: 'user_1', email_addresses: [], updated_at: 1, ...fields };
}

describe('primaryEmailOf', () => {
  const addresses = [
    { id: 'idn_a', email_address: 'First@Example.COM' },
    { id: 'idn_b', email_address: 'Second@Example.COM' },
  ];

  it('chooses the address named by primary_email_address_id, lower-cased', () => {
    expect(primaryEmailOf(user({ email_addresses: addresses, primary_email_address_id: 'idn_b' }))).toBe(
      'second@example.com',
    );
    expect(primaryEmailOf(user({ email_addresses: addresses, primary_email_address_id: 'idn_a' }))).toBe(
      'first@example.com',
    );
  });

  it.each([
    ['null', null],
    ['absent', undefined],
    ['an id not in the list', 'idn_gone'],
  ])('falls back to the first address when the primary id is %s', (_label, primaryId) => {
    expect(primaryEmailOf(user({ email_addresses: addresses, primary_email_address_id: primaryId }))).toBe(
      'first@example.com',
    );
  });

  it('is null for a user without addresses', () => {
    expect(primaryEmailOf(user({ email_addresses: [] }))).toBeNull();
    expect(primaryEmailOf(user({ email_addresses: [], primary_email_address_id: 'idn_a' }))).toBeNull();
  });
});

describe('primaryEmailAddressOf: is the primary address verified', () => {
  /** A user.created body whose two addresses carry the given verifications, primary the second. */
  function parsedWith(first: unknown, second: unknown): ClerkUser {
    const body = editedFixture('user.created', (data) => {
      data.email_addresses = [
        { id: 'idn_a', email_address: 'a@example.com', verification: first },
        { id: 'idn_b', email_address: 'B@example.com', verification: second },
      ];
      data.primary_email_address_id = 'idn_b';
    });
    const event = parseClerkEvent(body);
    if (event.type !== 'user.created') throw new Error('expected user.created');
    return event.data;
  }

  it("is verified only when the primary address's status is 'verified'", () => {
    expect(primaryEmailAddressOf(parsedWith(null, { status: 'verified', strategy: 'email_code' }))).toEqual({
      email: 'b@example.com',
      verified: true,
    });
    // The other address's verification does not count.
    expect(primaryEmailAddressOf(parsedWith({ status: 'verified' }, { status: 'unverified' }))).toEqual({
      email: 'b@example.com',
      verified: false,
    });
  });

  it.each([
    ['null', null],
    ['absent', undefined],
    ['an unexpected shape', 'verified'],
    ['a status of another type', { status: 42 }],
    ['expired', { status: 'expired' }],
  ])('a verification that is %s is "not verified", never a refused event', (_label, verification) => {
    expect(primaryEmailAddressOf(parsedWith(null, verification))).toEqual({ email: 'b@example.com', verified: false });
  });

  it('is null for a user without addresses', () => {
    expect(primaryEmailAddressOf(user({ email_addresses: [] }))).toBeNull();
  });

  it('the fixture and the local provider mark their addresses verified, as Clerk does', () => {
    const event = parseClerkEvent(fixtureText('user.created'));
    if (event.type !== 'user.created') throw new Error('expected user.created');
    expect(primaryEmailAddressOf(event.data)?.verified).toBe(true);
    for (const identity of DEMO_LOCAL_IDENTITIES) {
      const local = parseClerkEvent(JSON.stringify(userCreatedOrUpdatedEvent('user.created', identity, 1)));
      if (local.type !== 'user.created') throw new Error('expected user.created');
      expect(primaryEmailAddressOf(local.data)).toEqual({ email: identity.email, verified: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Refusals

describe('parseClerkEvent refuses', () => {
  it.each([
    ['an empty body', ''],
    ['truncated JSON', '{"type":"user.created","data":{'],
    ['a non-JSON text', 'type=user.created'],
  ])('%s as invalid JSON', (_label, body) => {
    const error = parseError(body);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error.name).toBe('InvalidEventError');
    expect(error.message).toBe('body is not valid JSON');
  });

  it.each(['null', '[]', '"user.created"', '42', 'true'])('JSON that is not an object: %s', (body) => {
    expect(parseError(body).message).toMatch(/^event: .*expected object/);
  });

  it.each([
    ['missing', undefined, /^event: type: /],
    ['empty', '', /^event: type: .*>=1/],
    ['a number', 7, /^event: type: .*expected string/],
    ['over 100 characters', `user.${'x'.repeat(96)}`, /^event: type: .*<=100/],
  ])('an envelope whose type is %s', (_label, type, message) => {
    const event = fixture('user.created');
    const body = JSON.stringify({ ...event, type });
    expect(parseError(body).message).toMatch(message);
  });

  it('an envelope whose object is not "event"', () => {
    const body = JSON.stringify({ ...fixture('user.created'), object: 'user' });
    expect(parseError(body).message).toMatch(/^event: object: /);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['an array', [{ id: CLERK_USER_ID }]],
    ['a string', CLERK_USER_ID],
  ])('data that is %s, also for types the server ignores', (_label, data) => {
    for (const type of ['user.created', 'email.created']) {
      const body = JSON.stringify({ type, object: 'event', data });
      expect(parseError(body).message).toMatch(/^event: data: /);
    }
  });

  describe('user events', () => {
    it.each(['user.created', 'user.updated'])('%s without data.id', (type) => {
      const body = editedFixture(type, (data) => delete data.id);
      expect(parseError(body).message).toMatch(/^data: id: /);
    });

    it.each([
      ['empty', ''],
      ['a path', 'user_abc/../admin'],
      ['with a space', 'user abc'],
      ['with a quote', "user_1'--"],
      ['non-ASCII', 'user_é'],
      ['with a newline', 'user_1\n'],
      ['a number', 42],
      ['over 191 characters', `user_${'a'.repeat(187)}`],
    ])('a data.id that is %s', (_label, id) => {
      const body = editedFixture('user.created', (data) => (data.id = id));
      expect(parseError(body).message).toMatch(/^data: id: /);
    });

    it('a data.id of exactly 191 valid characters is accepted', () => {
      const id = `user_${'a'.repeat(186)}`;
      expect(userOf(parseClerkEvent(editedFixture('user.created', (data) => (data.id = id)))).id).toBe(id);
    });

    it('names an invalid Clerk id as such', () => {
      const body = editedFixture('user.created', (data) => (data.id = 'user abc'));
      expect(parseError(body).message).toBe('data: id: must be a Clerk id');
    });

    it.each([
      ['missing', undefined],
      ['a numeric string', '1654012591835'],
      ['a fraction', 1654012591835.5],
      ['negative', -1],
      ['beyond the largest date', 8.64e15 + 1],
      ['null', null],
    ])('an updated_at that is %s', (_label, updatedAt) => {
      const body = editedFixture('user.updated', (data) => (data.updated_at = updatedAt));
      expect(parseError(body).message).toMatch(/^data: updated_at: /);
    });

    it.each([
      ['first_name', 257],
      ['last_name', 257],
      ['image_url', 2049],
      ['primary_email_address_id', 192],
    ])('%s over its limit (%i characters)', (field, length) => {
      const body = editedFixture('user.created', (data) => (data[field] = 'x'.repeat(length)));
      expect(parseError(body).message).toMatch(new RegExp(`^data: ${field}: .*<=${length - 1}`));
    });

    it.each([
      ['first_name', 256],
      ['last_name', 256],
      ['image_url', 2048],
    ])('%s at its limit (%i characters) is accepted', (field, length) => {
      const body = editedFixture('user.created', (data) => (data[field] = 'x'.repeat(length)));
      expect(userOf(parseClerkEvent(body))).toMatchObject({ [field]: 'x'.repeat(length) });
    });

    it('an oversized email address, without echoing it', () => {
      const address = `${'someone'.repeat(50)}@example.org`;
      const body = editedFixture('user.created', (data) => {
        (data.email_addresses as { email_address: string }[])[1]!.email_address = address;
      });
      const error = parseError(body);
      expect(error.message).toMatch(/^data: email_addresses\.1\.email_address: .*<=320/);
      expect(error.message).not.toContain('someone');
    });

    it('an oversized email address id', () => {
      const body = editedFixture('user.created', (data) => {
        (data.email_addresses as { id: string }[])[0]!.id = 'i'.repeat(192);
      });
      expect(parseError(body).message).toMatch(/^data: email_addresses\.0\.id: /);
    });

    it('more than 100 email addresses', () => {
      const body = editedFixture('user.created', (data) => {
        data.email_addresses = Array.from({ length: 101 }, (_, i) => ({ id: `idn_${i}`, email_address: `${i}@x.org` }));
      });
      expect(parseError(body).message).toMatch(/^data: email_addresses: .*<=100/);
    });

    it.each([
      ['first_name', 5],
      ['image_url', { url: 'https://img.example' }],
      ['email_addresses', 'example@example.org'],
      ['email_addresses', null],
    ])('%s of the wrong type (%j)', (field, value) => {
      const body = editedFixture('user.created', (data) => (data[field] = value));
      expect(parseError(body).message).toMatch(new RegExp(`^data: ${field}: `));
    });

    it('an email entry without its address', () => {
      const body = editedFixture('user.created', (data) => {
        delete (data.email_addresses as Record<string, unknown>[])[0]!.email_address;
      });
      expect(parseError(body).message).toMatch(/^data: email_addresses\.0\.email_address: /);
    });

    it('names at most three problems', () => {
      const body = JSON.stringify({
        type: 'user.created',
        data: { id: 'bad id', first_name: 1, last_name: 2, image_url: 3, updated_at: 'x' },
      });
      const message = parseError(body).message;
      expect(message.startsWith('data: ')).toBe(true);
      expect(message.split('; ')).toHaveLength(3);
    });
  });

  describe('user.deleted', () => {
    it.each([
      ['missing', undefined],
      ['invalid', 'user/1'],
    ])('with an id that is %s', (_label, id) => {
      const body = editedFixture('user.deleted', (data) => (data.id = id));
      expect(parseError(body).message).toMatch(/^data: id: /);
    });

    it('with deleted: false', () => {
      const body = editedFixture('user.deleted', (data) => (data.deleted = false));
      expect(parseError(body).message).toMatch(/^data: deleted: /);
    });

    it('accepts a deleted object without the deleted flag', () => {
      const body = editedFixture('user.deleted', (data) => delete data.deleted);
      expect(parseClerkEvent(body)).toMatchObject({ type: 'user.deleted', data: { id: CLERK_USER_ID } });
    });
  });

  describe('session events', () => {
    it.each(['session.created', 'session.ended', 'session.removed', 'session.revoked'])(
      '%s without a valid user_id',
      (type) => {
        expect(parseError(editedFixture(type, (data) => delete data.user_id)).message).toMatch(/^data: user_id: /);
        expect(parseError(editedFixture(type, (data) => (data.user_id = 'user 1'))).message).toBe(
          'data: user_id: must be a Clerk id',
        );
      },
    );

    it('with an invalid session id', () => {
      expect(parseError(editedFixture('session.ended', (data) => (data.id = 'sess_1;'))).message).toBe(
        'data: id: must be a Clerk id',
      );
    });

    it.each(['session.created', 'session.ended', 'session.removed', 'session.revoked'])(
      '%s without created_at',
      (type) => {
        expect(parseError(editedFixture(type, (data) => delete data.created_at)).message).toMatch(
          /^data: created_at: /,
        );
      },
    );

    it.each([
      ['an ISO date', '2022-05-31T16:00:00Z'],
      ['a numeric string', '1654012600000'],
      ['a fraction', 1654012600000.5],
      ['negative', -1],
    ])('with a created_at that is %s', (_label, createdAt) => {
      const body = editedFixture('session.created', (data) => (data.created_at = createdAt));
      expect(parseError(body).message).toMatch(/^data: created_at: /);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// The local provider's payloads parse as production parses Clerk's

const NOW = 1_800_000_000_000;

const named: LocalIdentity = {
  clerkId: 'user_local_0123456789abcdef0123',
  email: 'erin@example.com',
  firstName: 'Erin',
  lastName: 'Example',
  imageUrl: 'https://img.example.com/erin.png',
  createdAt: NOW - 10_000,
  updatedAt: NOW - 5_000,
};

const nameless: LocalIdentity = {
  ...named,
  clerkId: 'user_local_fedcba9876543210fedc',
  email: 'nameless@example.com',
  firstName: null,
  lastName: null,
  imageUrl: null,
};

function roundTrip(payload: unknown): ClerkEvent {
  return parseClerkEvent(JSON.stringify(payload));
}

describe('the local provider payloads', () => {
  it.each(['user.created', 'user.updated'] as const)('%s parses to the identity', (type) => {
    const event = roundTrip(userCreatedOrUpdatedEvent(type, named, NOW));
    expect(event.type).toBe(type);
    const parsed = userOf(event);
    expect(parsed).toMatchObject({
      id: named.clerkId,
      first_name: 'Erin',
      last_name: 'Example',
      image_url: 'https://img.example.com/erin.png',
      updated_at: named.updatedAt,
    });
    expect(primaryEmailOf(parsed)).toBe('erin@example.com');
  });

  it('an identity without names or image parses with null names and an empty image URL', () => {
    const parsed = userOf(roundTrip(userCreatedOrUpdatedEvent('user.created', nameless, NOW)));
    expect(parsed).toMatchObject({ first_name: null, last_name: null, image_url: '' });
    expect(primaryEmailOf(parsed)).toBe('nameless@example.com');
  });

  it('user.deleted parses to the deleted id', () => {
    expect(roundTrip(userDeletedEvent(named, NOW))).toEqual({
      type: 'user.deleted',
      data: { id: named.clerkId, deleted: true, object: 'user' },
    });
  });

  const record: LocalSessionRecord = {
    sessionId: 'sess_local_00112233445566778899aabb',
    userId: named.clerkId,
    expiresAt: NOW + 3_600_000,
    endedAt: null,
    createdAt: NOW,
  };

  it('session.created parses to the session, its user and its creation time', () => {
    const event = roundTrip(sessionEvent('session.created', record, named, NOW));
    expect(event).toMatchObject({
      type: 'session.created',
      data: { id: record.sessionId, user_id: named.clerkId, created_at: NOW, updated_at: NOW },
    });
  });

  it('session.ended parses with the end time as updated_at, also without the (deleted) user', () => {
    const ended = { ...record, endedAt: NOW + 60_000 };
    for (const identity of [named, undefined]) {
      const event = roundTrip(sessionEvent('session.ended', ended, identity, NOW + 60_000));
      expect(event).toMatchObject({
        type: 'session.ended',
        data: { id: record.sessionId, user_id: named.clerkId, created_at: NOW, updated_at: NOW + 60_000 },
      });
    }
  });

  it('have the envelope keys Clerk sends', () => {
    const clerkKeys = Object.keys(fixture('user.created')).sort();
    expect(Object.keys(userCreatedOrUpdatedEvent('user.created', named, NOW)).sort()).toEqual(clerkKeys);
    expect(Object.keys(userDeletedEvent(named, NOW)).sort()).toEqual(clerkKeys);
    expect(Object.keys(sessionEvent('session.created', record, named, NOW)).sort()).toEqual(clerkKeys);
  });

  it('every event a real provider emits parses to the right ids and fields', async () => {
    const events: LocalAuthEvent[] = [];
    const provider = await createLocalIdentityProvider({
      stateDir: null,
      authorizedParty: 'http://localhost:3000',
      onEvent: (event) => events.push(event),
    });
    const created = await provider.createIdentity({ email: 'Fay@Example.com', firstName: 'Fay' });
    const session = await provider.startSession('fay@example.com');
    await provider.updateIdentity(created.clerkId, { lastName: 'Field', imageUrl: 'https://img.example.com/f.png' });
    const demoSession = await provider.startSession('alice@example.com');
    provider.endSession(demoSession.sessionId);
    await provider.deleteIdentity(created.clerkId);

    expect(events.map((event) => event.type)).toEqual([
      'user.created',
      'session.created',
      'user.updated',
      'session.created',
      'session.ended',
      'user.deleted',
      'session.ended',
    ]);
    const parsed = events.map((event) => {
      switch (event.type) {
        case 'user.created':
        case 'user.updated':
          return roundTrip(userCreatedOrUpdatedEvent(event.type, event.identity, NOW));
        case 'user.deleted':
          return roundTrip(userDeletedEvent(event.identity, NOW));
        case 'session.created':
        case 'session.ended':
          return roundTrip(
            sessionEvent(event.type, event.session, provider.findIdentityByClerkId(event.session.userId), NOW),
          );
      }
    });
    expect(parsed.map((event) => event.type)).toEqual(events.map((event) => event.type));

    const [userCreated, sessionCreated, userUpdated, demoCreated, demoEnded, userDeleted, sessionEnded] = parsed;
    expect(primaryEmailOf(userOf(userCreated!))).toBe('fay@example.com');
    expect(userOf(userCreated!)).toMatchObject({ id: created.clerkId, first_name: 'Fay', last_name: null });
    expect(userOf(userUpdated!)).toMatchObject({
      id: created.clerkId,
      first_name: 'Fay',
      last_name: 'Field',
      image_url: 'https://img.example.com/f.png',
    });
    expect(userOf(userUpdated!).updated_at).toBeGreaterThan(userOf(userCreated!).updated_at);
    expect(sessionCreated).toMatchObject({ data: { id: session.sessionId, user_id: created.clerkId } });
    expect(demoCreated).toMatchObject({ data: { id: demoSession.sessionId, user_id: 'user_local_alice' } });
    expect(demoEnded).toMatchObject({ data: { id: demoSession.sessionId, user_id: 'user_local_alice' } });
    expect(userDeleted).toMatchObject({ type: 'user.deleted', data: { id: created.clerkId } });
    expect(sessionEnded).toMatchObject({
      type: 'session.ended',
      data: { id: session.sessionId, user_id: created.clerkId },
    });
  });

  it.each(DEMO_LOCAL_IDENTITIES.map((identity) => [identity.clerkId, identity] as const))(
    'demo identity %s parses (its ids are valid Clerk ids)',
    (_id, identity) => {
      const parsed = userOf(roundTrip(userCreatedOrUpdatedEvent('user.created', identity, NOW)));
      expect(parsed.id).toBe(identity.clerkId);
      expect(primaryEmailOf(parsed)).toBe(identity.email);
    },
  );
});
