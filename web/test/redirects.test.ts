import { describe, expect, it } from 'vitest';
import { authPagePath, safeRedirect, signInPath } from '~/lib/redirects';

describe('safeRedirect', () => {
  it.each([
    ['/app', '/app'],
    ['/app/listings/new?x=1#top', '/app/listings/new?x=1#top'],
    ['/settings', '/settings'],
  ])('keeps the same-origin path %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });

  it.each([
    'https://evil.example/phish',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'app',
    '',
    '/app\n',
    '/sign-in?redirect_url=/sign-in',
    '/sign-out',
    `/${'a'.repeat(3000)}`,
    42,
    null,
  ])('refuses %s', (input) => {
    expect(safeRedirect(input)).toBe('/app');
  });

  it('keeps an encoded newline encoded (it cannot split headers)', () => {
    expect(safeRedirect('/%0d%0aSet-Cookie:x', '/fallback')).toBe('/%0d%0aSet-Cookie:x');
  });
});

describe('signInPath', () => {
  it('carries the page to come back to', () => {
    expect(signInPath('/app/listings?after=abc')).toBe('/sign-in?redirect_url=%2Fapp%2Flistings%3Fafter%3Dabc');
  });
  it('drops an unsafe target', () => {
    expect(signInPath('//evil.example')).toBe('/sign-in');
  });
});

describe('authPagePath', () => {
  it('passes on where to go afterwards', () => {
    expect(authPagePath('/sign-up', '/settings?tab=1')).toBe('/sign-up?redirect_url=%2Fsettings%3Ftab%3D1');
  });
  it('leaves out the default', () => {
    expect(authPagePath('/sign-in', '/app')).toBe('/sign-in');
  });
});
