import { describe, expect, it } from 'vitest';
import { expiryProblem, isLive, latestExpiry, normalizeScopes } from './api-key-rules.js';

const NOW = new Date('2027-03-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

describe('api key rules', () => {
  it.each([
    [
      ['WRITE', 'READ', 'WRITE'],
      ['READ', 'WRITE'],
    ],
    [['READ', 'READ'], ['READ']],
    [['WRITE'], ['WRITE']],
  ] as const)('scopes %j become %j (each once, READ first)', (given, expected) => {
    expect(normalizeScopes(given)).toEqual(expected);
  });

  it('lets a key live at most 365 days', () => {
    expect(latestExpiry(NOW).getTime() - NOW.getTime()).toBe(365 * DAY);
  });

  it.each([
    ['now', 0, 'The expiry must be in the future'],
    ['a second ago', -1000, 'The expiry must be in the future'],
    ['a minute ahead', 60_000, null],
    ['exactly 365 days ahead', 365 * DAY, null],
    ['365 days and a millisecond ahead', 365 * DAY + 1, 'The expiry must be at most 365 days ahead'],
  ])('an expiry %s: %s', (_name, offset, problem) => {
    expect(expiryProblem(new Date(NOW.getTime() + offset), NOW)).toBe(problem);
  });

  it.each([
    ['unrevoked, no expiry', null, null, true],
    ['unrevoked, expiring later', null, new Date(NOW.getTime() + 1), true],
    ['unrevoked, expiring now', null, NOW, false],
    ['revoked', NOW, null, false],
  ])('a key %s is live: %s', (_name, revokedAt, expiresAt, live) => {
    expect(isLive({ revokedAt, expiresAt }, NOW)).toBe(live);
  });
});
