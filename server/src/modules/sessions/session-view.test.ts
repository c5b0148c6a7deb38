// Sessions in words: browser and device labels from Clerk's latest activity, the current flag, the order.
import { describe, expect, it } from 'vitest';
import { browserLabel, byLatestActivity, deviceLabel, sessionView, type ClerkSessionFields } from './session-view.js';

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);

function clerkSession(id: string, overrides: Partial<ClerkSessionFields> = {}): ClerkSessionFields {
  return { id, userId: 'user_1', status: 'active', createdAt: T0, lastActiveAt: T0 + 60_000, ...overrides };
}

describe('browserLabel', () => {
  it.each([
    ['Chrome', '120.0.6099.71', 'Chrome 120'],
    ['Firefox', '121.0', 'Firefox 121'],
    ['Safari', '17.1', 'Safari 17'],
    ['Chrome', undefined, 'Chrome'],
    ['Chrome', '', 'Chrome'],
    ['Opera', 'beta', 'Opera'],
    [' Edge ', ' 120.0 ', 'Edge 120'],
  ])('%s %s → %s', (name, version, label) => {
    expect(browserLabel(name, version)).toBe(label);
  });

  it('is null without a name', () => {
    expect(browserLabel(undefined, '120.0')).toBeNull();
    expect(browserLabel('  ', '120.0')).toBeNull();
  });
});

describe('deviceLabel', () => {
  it.each([
    ['Linux', false, 'Linux desktop'],
    ['macOS', false, 'macOS desktop'],
    ['iPhone', true, 'iPhone'],
    ['Android', true, 'Android'],
    [undefined, true, 'Mobile device'],
  ])('%s (mobile: %s) → %s', (type, mobile, label) => {
    expect(deviceLabel(type, mobile)).toBe(label);
  });

  it('is null when nothing is known', () => {
    expect(deviceLabel(undefined, false)).toBeNull();
    expect(deviceLabel(undefined, undefined)).toBeNull();
    expect(deviceLabel('', false)).toBeNull();
  });
});

describe('sessionView', () => {
  it('turns Clerk’s session into the API’s, the current one marked', () => {
    const session = clerkSession('sess_a', {
      latestActivity: { browserName: 'Chrome', browserVersion: '120.0.0.0', deviceType: 'Linux', isMobile: false },
    });
    expect(sessionView(session, 'sess_a')).toEqual({
      id: 'sess_a',
      browser: 'Chrome 120',
      device: 'Linux desktop',
      createdAt: new Date(T0),
      lastActiveAt: new Date(T0 + 60_000),
      current: true,
    });
    expect(sessionView(session, 'sess_b').current).toBe(false);
  });

  it('is never current for a request without a session (an API key)', () => {
    expect(sessionView(clerkSession('sess_a'), undefined).current).toBe(false);
  });

  it('has no browser or device without an activity, and falls back to the start for last activity', () => {
    const view = sessionView(clerkSession('sess_a', { lastActiveAt: 0 }), undefined);
    expect(view).toMatchObject({ browser: null, device: null, lastActiveAt: new Date(T0) });
  });
});

describe('byLatestActivity', () => {
  it('orders newest activity first, then newest start, then by id', () => {
    const views = [
      sessionView(clerkSession('sess_old', { lastActiveAt: T0 + 1 }), undefined),
      sessionView(clerkSession('sess_b', { lastActiveAt: T0 + 5 }), undefined),
      sessionView(clerkSession('sess_a', { lastActiveAt: T0 + 5 }), undefined),
      sessionView(clerkSession('sess_new', { lastActiveAt: T0 + 9 }), undefined),
      sessionView(clerkSession('sess_later', { lastActiveAt: T0 + 5, createdAt: T0 + 2 }), undefined),
    ];
    expect(views.sort(byLatestActivity).map((view) => view.id)).toEqual([
      'sess_new',
      'sess_later',
      'sess_a',
      'sess_b',
      'sess_old',
    ]);
  });
});
