import { API_KEY_LIMITS } from '@deal-brain/shared/field-limits';
import { describe, expect, it } from 'vitest';
import { RefusalThrottle, type TransactionOutcome } from './signups.js';
import { patchOf, updateTenantSettingsSchema } from './tenant-settings-input.js';
import { changedSettings, settingsFromRows, TENANT_SETTING_DEFAULTS } from './tenant-settings.js';

const AT = new Date('2027-01-01T00:00:00Z');
const LATER = new Date('2027-01-02T00:00:00Z');

describe('reading stored settings', () => {
  it('has the documented defaults (the API key cap is the shared limit)', () => {
    expect(TENANT_SETTING_DEFAULTS).toEqual({
      signupsEnabled: true,
      maintenanceBanner: null,
      maxApiKeysPerUser: API_KEY_LIMITS.maxLivePerUser,
      collectionSharingEnabled: true,
    });
    expect(API_KEY_LIMITS.maxLivePerUser).toBe(10);
  });

  it('reads nothing stored as the defaults, never set', () => {
    expect(settingsFromRows([])).toEqual({ settings: { ...TENANT_SETTING_DEFAULTS, updatedAt: null }, problems: [] });
  });

  it('reads each fitting value as stored, an unfit one as its default (reported), and ignores unknown keys', () => {
    const { settings, problems } = settingsFromRows([
      { key: 'signupsEnabled', value: false, updatedAt: AT },
      { key: 'maxApiKeysPerUser', value: 0, updatedAt: LATER },
      { key: 'maintenanceBanner', value: 'Back soon', updatedAt: AT },
      { key: 'collectionSharingEnabled', value: 'no', updatedAt: AT },
      { key: 'retired', value: { anything: true }, updatedAt: new Date('2030-01-01T00:00:00Z') },
    ]);
    expect(settings).toEqual({
      signupsEnabled: false,
      maintenanceBanner: 'Back soon',
      maxApiKeysPerUser: 10,
      collectionSharingEnabled: true,
      updatedAt: LATER,
    });
    expect(problems.sort()).toEqual(['collectionSharingEnabled', 'maxApiKeysPerUser']);
  });

  it('lists only the keys whose value changes, with before and after', () => {
    expect(
      changedSettings(TENANT_SETTING_DEFAULTS, { signupsEnabled: true, maxApiKeysPerUser: 3, maintenanceBanner: null }),
    ).toEqual({ before: { maxApiKeysPerUser: 10 }, after: { maxApiKeysPerUser: 3 } });
    expect(changedSettings(TENANT_SETTING_DEFAULTS, {})).toEqual({ before: {}, after: {} });
  });
});

describe('the update input', () => {
  it('trims, turns a blank banner or reason into null, and leaves omitted keys out of the patch', () => {
    const input = updateTenantSettingsSchema.parse({ maintenanceBanner: '   ', reason: ' why ', maxApiKeysPerUser: 7 });
    expect(input.reason).toBe('why');
    expect(patchOf(input)).toEqual({ maintenanceBanner: null, maxApiKeysPerUser: 7 });
    expect(patchOf(updateTenantSettingsSchema.parse({}))).toEqual({});
  });

  it.each([
    [{ maxApiKeysPerUser: 1.5 }, 'maxApiKeysPerUser'],
    [{ maxApiKeysPerUser: null }, 'maxApiKeysPerUser'],
    [{ signupsEnabled: null }, 'signupsEnabled'],
    [{ maintenanceBanner: ` ${'b'.repeat(501)} ` }, 'maintenanceBanner'],
  ])('refuses %j at %s', (input, path) => {
    const result = updateTenantSettingsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([path]);
  });
});

describe('the sign-up refusal throttle', () => {
  const outcomes = new Map<string, TransactionOutcome>();
  const outcomeOf = (xid: string) => Promise.resolve(outcomes.get(xid) ?? null);

  /** Claims, and when granted writes the event in transaction `xid` with outcome `outcome`. */
  async function refuse(throttle: RefusalThrottle, id: string, now: number, xid: string, outcome: TransactionOutcome) {
    const claim = await throttle.claim(id, now, outcomeOf);
    if (!claim) return false;
    outcomes.set(xid, outcome);
    claim.writtenBy(xid);
    return true;
  }

  it('audits an identity at most once a minute once its event committed', async () => {
    const throttle = new RefusalThrottle(60_000, 100);
    expect(await refuse(throttle, 'user_a', 0, '1', 'committed')).toBe(true);
    expect(await refuse(throttle, 'user_a', 59_999, '2', 'committed')).toBe(false);
    expect(await refuse(throttle, 'user_b', 59_999, '3', 'committed')).toBe(true);
    expect(await refuse(throttle, 'user_a', 60_000, '4', 'committed')).toBe(true);
  });

  it('forgets a refusal whose transaction rolled back (or is too old to tell): the next one is audited', async () => {
    const throttle = new RefusalThrottle(60_000, 100);
    expect(await refuse(throttle, 'user_a', 0, '10', 'aborted')).toBe(true);
    expect(await refuse(throttle, 'user_a', 1, '11', null)).toBe(true);
    expect(await refuse(throttle, 'user_a', 2, '12', 'committed')).toBe(true);
    expect(await refuse(throttle, 'user_a', 3, '13', 'committed')).toBe(false);
  });

  it('holds back while the event is being written or its transaction is in progress', async () => {
    const throttle = new RefusalThrottle(60_000, 100);
    const claim = await throttle.claim('user_a', 0, outcomeOf);
    expect(claim).not.toBeNull();
    expect(await throttle.claim('user_a', 1, outcomeOf)).toBeNull(); // no transaction id yet
    outcomes.set('20', 'in progress');
    claim!.writtenBy('20');
    expect(await throttle.claim('user_a', 2, outcomeOf)).toBeNull();
    outcomes.set('20', 'aborted');
    expect(await refuse(throttle, 'user_a', 3, '21', 'committed')).toBe(true);
  });

  it('forgets a claim whose event could not be written', async () => {
    const throttle = new RefusalThrottle(60_000, 100);
    const claim = await throttle.claim('user_a', 0, outcomeOf);
    claim!.failed();
    expect(throttle.size).toBe(0);
    expect(await throttle.claim('user_a', 1, outcomeOf)).not.toBeNull();
  });

  it('audits concurrent refusals of one identity once', async () => {
    const throttle = new RefusalThrottle(60_000, 100);
    outcomes.set('30', 'aborted');
    await refuse(throttle, 'user_a', 0, '30', 'aborted');
    const claims = await Promise.all([1, 2, 3].map((now) => throttle.claim('user_a', now, outcomeOf)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('remembers at most its bound, forgetting the oldest first', async () => {
    const throttle = new RefusalThrottle(60_000, 3);
    for (const id of ['a', 'b', 'c', 'd']) expect(await refuse(throttle, id, 0, `4${id}`, 'committed')).toBe(true);
    expect(throttle.size).toBe(3);
    expect(await refuse(throttle, 'a', 1, '5a', 'committed')).toBe(true); // forgotten: audited again
    expect(await refuse(throttle, 'd', 1, '5d', 'committed')).toBe(false);
  });
});
