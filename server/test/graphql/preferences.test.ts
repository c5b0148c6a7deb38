// Issue 11 §2: typed preferences. Defaults on read, partial updates that never lose a concurrent one, the
// default scoring profile through the scoring module's own write, the default valuation ruleset as the active
// one (activated through the valuation module's own code), refusals with paths that store nothing, and a
// stored document that is not what the schema says read as defaults instead of failing. The superuser
// connection is the independent witness.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let superuser: pg.Client;

beforeAll(async () => {
  server = await startTestServer();
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});
afterAll(async () => {
  await server?.close();
  await superuser?.end();
});

interface Person {
  token: string;
  userId: string;
}

const PREFERENCES = `
  notifications { securityAlerts collectionShared weeklyDigest }
  app { currency theme defaultScoringProfile { id } defaultValuationRuleset { id } }
`;
const READ = `{ viewer { preferences { ${PREFERENCES} } } }`;
const UPDATE = `mutation Update($input: UpdatePreferencesInput!) {
  updatePreferences(input: $input) { user { id preferences { ${PREFERENCES} } } }
}`;
const CREATE_PROFILE = `mutation P($input: CreateScoringProfileInput!) { createScoringProfile(input: $input) { scoringProfile { id } } }`;
const CREATE_RULESET = `mutation R($input: CreateValuationRulesetInput!) { createValuationRuleset(input: $input) { valuationRuleset { id } } }`;
const DELETE_RULESET = `mutation D($input: DeleteValuationRulesetInput!) { deleteValuationRuleset(input: $input) { deletedValuationRulesetId } }`;
const ACTIVATE_RULESET = `mutation A($input: ActivateValuationRulesetInput!) { activateValuationRuleset(input: $input) { valuationRuleset { id } } }`;

interface Preferences {
  notifications: { securityAlerts: boolean; collectionShared: boolean; weeklyDigest: boolean };
  app: {
    currency: string;
    theme: string;
    defaultScoringProfile: { id: string } | null;
    defaultValuationRuleset: { id: string } | null;
  };
}

const DEFAULTS: Preferences = {
  notifications: { securityAlerts: true, collectionShared: true, weeklyDigest: false },
  app: { currency: 'USD', theme: 'SYSTEM', defaultScoringProfile: null, defaultValuationRuleset: null },
};

const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

async function person(name = 'prefs'): Promise<Person> {
  const { token } = await newIdentity(server, name);
  const res = await gql<{ viewer: { id: string } }>(server, token, '{ viewer { id } }');
  // Its user.created and sign-in webhooks have arrived: no late audit row lands inside a comparison.
  await server.app.localWebhooks!.idle();
  return { token, userId: rawId(res.body.data!.viewer.id) };
}

async function read(who: Person): Promise<Preferences> {
  const res = await gql<{ viewer: { preferences: Preferences } }>(server, who.token, READ);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.viewer.preferences;
}

async function update(who: Person, input: unknown) {
  return gql<{ updatePreferences: { user: { id: string; preferences: Preferences } } }>(server, who.token, UPDATE, {
    input,
  });
}

async function mustUpdate(who: Person, input: unknown): Promise<Preferences> {
  const res = await update(who, input);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.updatePreferences.user.preferences;
}

/** The stored document, the two defaults and the audit events of a user: what a refusal must not change. */
async function stored(userId: string) {
  const q = async (text: string) => (await superuser.query(text, [userId])).rows;
  return {
    document: (await q('SELECT preferences FROM users WHERE id = $1'))[0]?.preferences as unknown,
    profiles: await q('SELECT id, is_default FROM scoring_profiles WHERE owner_id = $1 ORDER BY id'),
    rulesets: await q('SELECT id, is_active FROM valuation_rulesets WHERE owner_id = $1 ORDER BY id'),
    audit: await q(`SELECT type, metadata FROM audit_events WHERE subject_user_id = $1 ORDER BY created_at, id`),
  };
}

async function preferenceEvents(userId: string) {
  const { rows } = await superuser.query<{ actor_id: string; metadata: { changed: string[] } }>(
    `SELECT actor_id::text, metadata FROM audit_events
     WHERE subject_user_id = $1 AND type = 'user.preferences_updated' ORDER BY created_at, xmin::text::bigint`,
    [userId],
  );
  return rows;
}

async function profile(who: Person, name: string): Promise<string> {
  const weights = { price: 1, cpu: 1, gpu: 1, ram: 1, storage: 1, condition: 1 };
  const res = await gql<{ createScoringProfile: { scoringProfile: { id: string } } }>(
    server,
    who.token,
    CREATE_PROFILE,
    {
      input: { name, weights },
    },
  );
  return res.body.data!.createScoringProfile.scoringProfile.id;
}

async function ruleset(who: Person, name: string): Promise<string> {
  const res = await gql<{ createValuationRuleset: { valuationRuleset: { id: string } } }>(
    server,
    who.token,
    CREATE_RULESET,
    { input: { name, rules: [] } },
  );
  return res.body.data!.createValuationRuleset.valuationRuleset.id;
}

describe('reading', () => {
  it('a new user reads every default, stored as an empty document', async () => {
    const me = await person();
    expect(await read(me)).toEqual(DEFAULTS);
    expect((await stored(me.userId)).document).toEqual({});
  });

  it('a stored document that does not fit the schema reads as defaults, key by key, and never fails', async () => {
    const me = await person();
    await superuser.query(`UPDATE users SET preferences = $2::jsonb WHERE id = $1`, [
      me.userId,
      JSON.stringify({
        notifications: { securityAlerts: 'yes', weeklyDigest: true, unknownFlag: 1 },
        app: ['not', 'an', 'object'],
        legacy: { anything: true },
      }),
    ]);
    expect(await read(me)).toEqual({ ...DEFAULTS, notifications: { ...DEFAULTS.notifications, weeklyDigest: true } });
    // An update lays its keys over what is there: the unusable app section is replaced, the rest kept.
    expect(await mustUpdate(me, { app: { theme: 'DARK' } })).toMatchObject({ app: { theme: 'DARK', currency: 'USD' } });
    expect((await stored(me.userId)).document).toEqual({
      notifications: { securityAlerts: 'yes', weeklyDigest: true, unknownFlag: 1 },
      app: { theme: 'DARK' },
      legacy: { anything: true },
    });
  });

  it('the database keeps the document an object', async () => {
    const me = await person();
    await expect(superuser.query(`UPDATE users SET preferences = '[]' WHERE id = $1`, [me.userId])).rejects.toThrow(
      /users_preferences_object/,
    );
  });
});

describe('updatePreferences', () => {
  it('changes only the keys given, stores only those, and audits what changed', async () => {
    const me = await person();
    expect(await mustUpdate(me, { notifications: { weeklyDigest: true } })).toEqual({
      ...DEFAULTS,
      notifications: { ...DEFAULTS.notifications, weeklyDigest: true },
    });
    expect(await mustUpdate(me, { app: { theme: 'DARK', currency: 'EUR' } })).toEqual({
      notifications: { ...DEFAULTS.notifications, weeklyDigest: true },
      app: { ...DEFAULTS.app, theme: 'DARK', currency: 'EUR' },
    });
    expect((await stored(me.userId)).document).toEqual({
      notifications: { weeklyDigest: true },
      app: { theme: 'DARK', currency: 'EUR' },
    });
    // Setting a value it already has changes nothing and records nothing; a default set explicitly is kept.
    await mustUpdate(me, { app: { theme: 'DARK' }, notifications: { securityAlerts: true } });
    expect((await stored(me.userId)).document).toMatchObject({ notifications: { securityAlerts: true } });
    expect(await preferenceEvents(me.userId)).toEqual([
      { actor_id: me.userId, metadata: { changed: ['notifications.weeklyDigest'] } },
      { actor_id: me.userId, metadata: { changed: ['app.currency', 'app.theme'] } },
    ]);
  });

  it('two concurrent partial updates never lose each other’s keys', async () => {
    const inputs = [
      { notifications: { weeklyDigest: true } },
      { notifications: { securityAlerts: false } },
      { notifications: { collectionShared: false } },
      { app: { theme: 'LIGHT' } },
      { app: { currency: 'JPY' } },
    ];
    for (let round = 0; round < 3; round++) {
      const me = await person('concurrent');
      const results = await Promise.all(inputs.map((input) => update(me, input)));
      expect(results.map((res) => res.body.errors)).toEqual(inputs.map(() => undefined));
      expect(await read(me)).toEqual({
        notifications: { securityAlerts: false, collectionShared: false, weeklyDigest: true },
        app: { ...DEFAULTS.app, theme: 'LIGHT', currency: 'JPY' },
      });
      expect(
        (await preferenceEvents(me.userId))
          .map((event) => event.metadata.changed)
          .flat()
          .sort(),
      ).toEqual([
        'app.currency',
        'app.theme',
        'notifications.collectionShared',
        'notifications.securityAlerts',
        'notifications.weeklyDigest',
      ]);
    }
  });

  it('defaultScoringProfileId makes that profile the default through the scoring module', async () => {
    const me = await person();
    const first = await profile(me, 'first');
    const second = await profile(me, 'second');
    expect((await read(me)).app.defaultScoringProfile).toEqual({ id: first });
    const after = await mustUpdate(me, { app: { defaultScoringProfileId: second } });
    expect(after.app.defaultScoringProfile).toEqual({ id: second });
    expect((await stored(me.userId)).profiles).toEqual(
      [
        { id: rawId(first), is_default: false },
        { id: rawId(second), is_default: true },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    // Not part of the document: the flag is the one place it lives.
    expect((await stored(me.userId)).document).toEqual({});
    expect(await preferenceEvents(me.userId)).toEqual([
      { actor_id: me.userId, metadata: { changed: ['app.defaultScoringProfile'] } },
    ]);
  });

  it('defaultValuationRuleset is the active ruleset; defaultValuationRulesetId activates one', async () => {
    const me = await person();
    expect((await read(me)).app.defaultValuationRuleset).toBeNull();
    const first = await ruleset(me, 'first');
    const second = await ruleset(me, 'second');
    // The first ruleset created is the active one: the default, with nothing chosen.
    expect((await read(me)).app.defaultValuationRuleset).toEqual({ id: first });
    expect((await mustUpdate(me, { app: { defaultValuationRulesetId: second } })).app.defaultValuationRuleset).toEqual({
      id: second,
    });
    const flags = (active: string) =>
      [first, second]
        .map((id) => ({ id: rawId(id), is_active: id === active }))
        .sort((a, b) => a.id.localeCompare(b.id));
    expect((await stored(me.userId)).rulesets).toEqual(flags(second));
    // Not part of the document: the active flag is the one place it lives.
    expect((await stored(me.userId)).document).toEqual({});
    // Choosing it again changes nothing and records nothing.
    await mustUpdate(me, { app: { defaultValuationRulesetId: second } });
    expect(await preferenceEvents(me.userId)).toEqual([
      { actor_id: me.userId, metadata: { changed: ['app.defaultValuationRulesetId'] } },
    ]);

    // Valuations agree: activateValuationRuleset changes the default, and deleting the active one moves it.
    const activated = await gql(server, me.token, ACTIVATE_RULESET, { input: { id: first } });
    expect(activated.body.errors).toBeUndefined();
    expect((await read(me)).app.defaultValuationRuleset).toEqual({ id: first });
    expect((await stored(me.userId)).rulesets).toEqual(flags(first));
    const deleted = await gql(server, me.token, DELETE_RULESET, { input: { id: first } });
    expect(deleted.body.errors).toBeUndefined();
    expect((await read(me)).app.defaultValuationRuleset).toEqual({ id: second });
    await gql(server, me.token, DELETE_RULESET, { input: { id: second } });
    expect((await read(me)).app.defaultValuationRuleset).toBeNull();
  });

  it('later fields of the same request value listings under the newly chosen ruleset', async () => {
    const me = await person();
    const rule = (amount: string) => ({
      attribute: 'RAM_GB',
      operator: 'BELOW',
      number: 32,
      adjustment: 'ADD',
      amount,
    });
    const create = async (name: string, amount: string) => {
      const res = await gql<{ createValuationRuleset: { valuationRuleset: { id: string } } }>(
        server,
        me.token,
        CREATE_RULESET,
        { input: { name, rules: [rule(amount)] } },
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data!.createValuationRuleset.valuationRuleset.id;
    };
    const plus10 = await create('plus 10', '10');
    const plus20 = await create('plus 20', '20');
    const VALUED = 'listing { valuation { value ruleset { id } } }';
    const res = await gql<Record<string, { listing: { valuation: { value: string; ruleset: { id: string } } } }>>(
      server,
      me.token,
      `mutation Both($l: CreateListingInput!, $p: UpdatePreferencesInput!) {
        before: createListing(input: $l) { ${VALUED} }
        update: updatePreferences(input: $p) { user { id } }
        after: createListing(input: $l) { ${VALUED} }
      }`,
      { l: { title: 'valued', price: '100.00', ramGb: 16 }, p: { app: { defaultValuationRulesetId: plus20 } } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.before!.listing.valuation).toEqual({ value: '110.00', ruleset: { id: plus10 } });
    expect(res.body.data!.after!.listing.valuation).toEqual({ value: '120.00', ruleset: { id: plus20 } });
  });

  it('a stored document that still names a default valuation ruleset reads fine: the key is ignored', async () => {
    const me = await person();
    const active = await ruleset(me, 'active');
    const legacy = { app: { theme: 'DARK', defaultValuationRulesetId: randomUUID() } };
    await superuser.query(`UPDATE users SET preferences = $2::jsonb WHERE id = $1`, [
      me.userId,
      JSON.stringify(legacy),
    ]);
    expect((await read(me)).app).toEqual({ ...DEFAULTS.app, theme: 'DARK', defaultValuationRuleset: { id: active } });
    // An update keeps it as stored, like any key no longer known, and does not name it as changed.
    expect((await mustUpdate(me, { app: { currency: 'EUR' } })).app).toMatchObject({
      currency: 'EUR',
      theme: 'DARK',
      defaultValuationRuleset: { id: active },
    });
    expect((await stored(me.userId)).document).toEqual({ app: { ...legacy.app, currency: 'EUR' } });
    expect(await preferenceEvents(me.userId)).toEqual([
      { actor_id: me.userId, metadata: { changed: ['app.currency'] } },
    ]);
  });

  it('concurrent changes of the default ruleset leave exactly one active and lose no other key', async () => {
    for (let round = 0; round < 3; round++) {
      const me = await person('concurrent-ruleset');
      const [a, b, c] = [await ruleset(me, 'a'), await ruleset(me, 'b'), await ruleset(me, 'c')];
      const results = await Promise.all([
        update(me, { app: { defaultValuationRulesetId: b, theme: 'LIGHT' } }),
        update(me, { app: { defaultValuationRulesetId: c, currency: 'JPY' } }),
        gql(server, me.token, ACTIVATE_RULESET, { input: { id: a } }),
        update(me, { app: { defaultValuationRulesetId: a }, notifications: { weeklyDigest: true } }),
      ]);
      expect(results.map((res) => res.body.errors)).toEqual([undefined, undefined, undefined, undefined]);
      const active = (await stored(me.userId)).rulesets.filter((row) => row.is_active);
      expect(active).toHaveLength(1);
      const now = await read(me);
      expect(now).toEqual({
        notifications: { ...DEFAULTS.notifications, weeklyDigest: true },
        app: { ...DEFAULTS.app, theme: 'LIGHT', currency: 'JPY', defaultValuationRuleset: { id: expect.any(String) } },
      });
      expect(rawId(now.app.defaultValuationRuleset!.id)).toBe(active[0]!.id);
    }
  });

  it('another user’s profile or ruleset is NOT_FOUND, like one that does not exist, and the whole update is undone', async () => {
    const me = await person();
    const other = await person('other');
    const mine = await profile(me, 'mine');
    const theirs = await profile(other, 'theirs');
    const mySecond = await profile(me, 'my second');
    const myRuleset = await ruleset(me, 'mine');
    const mySecondRuleset = await ruleset(me, 'my second');
    const theirRuleset = await ruleset(other, 'theirs');
    await ruleset(other, 'their second');
    const before = { me: await stored(me.userId), other: await stored(other.userId) };
    for (const input of [
      { app: { theme: 'DARK', defaultScoringProfileId: theirs } },
      { notifications: { weeklyDigest: true }, app: { defaultValuationRulesetId: theirRuleset } },
      // The scoring default changes first, in the same transaction: undone with the rest.
      { app: { defaultScoringProfileId: mySecond, defaultValuationRulesetId: theirRuleset, theme: 'LIGHT' } },
      { app: { defaultScoringProfileId: globalId('ScoringProfile', randomUUID()), currency: 'GBP' } },
      { app: { defaultValuationRulesetId: globalId('ValuationRuleset', randomUUID()) } },
      { app: { defaultValuationRulesetId: mySecondRuleset, defaultScoringProfileId: theirs } },
    ]) {
      const res = await update(me, input);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    }
    expect({ me: await stored(me.userId), other: await stored(other.userId) }).toEqual(before);
    expect((await read(me)).app.defaultScoringProfile).toEqual({ id: mine });
    expect((await read(me)).app.defaultValuationRuleset).toEqual({ id: myRuleset });
  });

  it.each([
    [{ notifications: { securityAlerts: null } }, 'input.notifications.securityAlerts'],
    [{ notifications: { weeklyDigest: true, collectionShared: null } }, 'input.notifications.collectionShared'],
    [{ app: { currency: null } }, 'input.app.currency'],
    [{ app: { theme: null } }, 'input.app.theme'],
    [{ app: { defaultScoringProfileId: null } }, 'input.app.defaultScoringProfileId'],
    [{ app: { defaultScoringProfileId: globalId('Listing', randomUUID()) } }, 'input.app.defaultScoringProfileId'],
    [{ app: { defaultValuationRulesetId: null } }, 'input.app.defaultValuationRulesetId'],
    [{ app: { theme: 'DARK', defaultValuationRulesetId: null } }, 'input.app.defaultValuationRulesetId'],
    [
      { app: { defaultValuationRulesetId: globalId('ScoringProfile', randomUUID()) } },
      'input.app.defaultValuationRulesetId',
    ],
  ])('refuses %j with BAD_USER_INPUT on %s, storing nothing', async (input, path) => {
    const me = await person();
    const before = await stored(me.userId);
    const res = await update(me, input);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path }] });
    expect(await stored(me.userId)).toEqual(before);
  });

  it.each([{}, { notifications: {} }, { notifications: null, app: {} }])(
    'refuses %j, which changes nothing, with BAD_USER_INPUT',
    async (input) => {
      const me = await person();
      const res = await update(me, input);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(res.body.errors?.[0]?.message).toBe('Give at least one preference to change');
    },
  );

  it.each([
    ['an unknown key', { notifications: { smsAlerts: true } }, 'input.notifications.smsAlerts'],
    ['an unknown section', { privacy: { public: true } }, 'input.privacy'],
    ['a string for a boolean', { notifications: { weeklyDigest: 'yes' } }, 'input.notifications.weeklyDigest'],
    ['a currency that is not one', { app: { currency: 'BTC' } }, 'input.app.currency'],
    ['a lower-case theme', { app: { theme: 'dark' } }, 'input.app.theme'],
  ])('refuses %s before anything runs: BAD_USER_INPUT on %s, storing nothing', async (_name, input, path) => {
    const me = await person();
    const before = await stored(me.userId);
    const res = await update(me, input);
    // GraphQL's own input coercion refuses it (a 400: the request itself is malformed), in the API's terms.
    expect(res.status).toBe(400);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      issues: [{ path, message: expect.any(String) }],
    });
    expect(await stored(me.userId)).toEqual(before);
  });

  it('changes only the caller’s preferences', async () => {
    const me = await person();
    const other = await person('bystander');
    const before = await stored(other.userId);
    await mustUpdate(me, { app: { theme: 'DARK' }, notifications: { weeklyDigest: true } });
    expect(await stored(other.userId)).toEqual(before);
    expect(await read(other)).toEqual(DEFAULTS);
  });

  it('is refused without a signed-in user', async () => {
    const res = await gql(server, null, UPDATE, { input: { app: { theme: 'DARK' } } });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
