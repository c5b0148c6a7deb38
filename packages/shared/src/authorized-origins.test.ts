import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { authorizedPartiesFor, envOrigins, LOCAL_WEB_ORIGIN } from './authorized-origins.js';
import { ConfigError } from './env/config-error.js';

const schema = z.object({ CLERK_AUTHORIZED_PARTIES: envOrigins });
const messages = (value: string) =>
  schema.safeParse({ CLERK_AUTHORIZED_PARTIES: value }).error?.issues.map((issue) => issue.message);

describe('envOrigins', () => {
  it('reads comma-separated bare origins, without a trailing slash', () => {
    expect(
      schema.parse({ CLERK_AUTHORIZED_PARTIES: 'https://a.example.com, https://b.example.com/,http://localhost:3000' }),
    ).toEqual({
      CLERK_AUTHORIZED_PARTIES: ['https://a.example.com', 'https://b.example.com', 'http://localhost:3000'],
    });
  });

  it('reads unset, blank and empty entries as none', () => {
    expect(schema.parse({}).CLERK_AUTHORIZED_PARTIES).toEqual([]);
    expect(schema.parse({ CLERK_AUTHORIZED_PARTIES: '  ' }).CLERK_AUTHORIZED_PARTIES).toEqual([]);
    expect(schema.parse({ CLERK_AUTHORIZED_PARTIES: ' , ,' }).CLERK_AUTHORIZED_PARTIES).toEqual([]);
  });

  it('refuses what is not a URL', () => {
    expect(messages('nope')).toEqual(['"nope" is not a URL']);
    expect(messages('https://a.example.com, not a url')).toEqual(['"not a url" is not a URL']);
  });

  it.each([
    'http://localhost:3000/app',
    'https://a.example.com/?x=1',
    'https://a.example.com#x',
    'https://u@a.example.com',
  ])('refuses %s: only bare origins', (origin) => {
    expect(messages(origin)).toEqual([`"${origin}" must be a bare origin like https://app.example.com`]);
  });
});

describe('authorizedPartiesFor', () => {
  it('keeps configured origins', () => {
    expect(authorizedPartiesFor(['https://app.example.com'], 'production')).toEqual(['https://app.example.com']);
    expect(authorizedPartiesFor(['https://app.example.com'], 'development')).toEqual(['https://app.example.com']);
  });

  it("falls back to the local web app's origin outside production", () => {
    expect(authorizedPartiesFor([], 'development')).toEqual([LOCAL_WEB_ORIGIN]);
    expect(authorizedPartiesFor([], 'test')).toEqual(['http://localhost:3000']);
  });

  it('requires them in production', () => {
    expect(() => authorizedPartiesFor([], 'production')).toThrow(
      new ConfigError('CLERK_AUTHORIZED_PARTIES must be set in production (the origins the web app is served from)'),
    );
  });
});
