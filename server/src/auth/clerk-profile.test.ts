import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClerkBackendStub, type ClerkBackendStub } from '../../test/auth/support/clerk-backend-stub.js';
import { createClerkBackend } from '#src/clerk/backend-api.js';
import { createClerkProfileFetcher } from './clerk-profile.js';

let clerk: ClerkBackendStub;

beforeAll(async () => {
  clerk = await startClerkBackendStub();
});
afterAll(() => clerk?.close());

describe('createClerkProfileFetcher', () => {
  it.each([
    [
      'the primary email, names and image',
      {
        emails: ['old@example.test', 'main@example.test'],
        primary: 1,
        firstName: 'Mia',
        lastName: 'Main',
        imageUrl: 'https://img.example.test/m.png',
      },
      { email: 'main@example.test', firstName: 'Mia', lastName: 'Main', imageUrl: 'https://img.example.test/m.png' },
    ],
    [
      'the first email when none is primary',
      { emails: ['first@example.test', 'second@example.test'] },
      { email: 'first@example.test', firstName: undefined, lastName: undefined, imageUrl: undefined },
    ],
    [
      'nothing for a user without emails, names or image',
      { emails: [], firstName: null, lastName: null },
      { email: undefined, firstName: undefined, lastName: undefined, imageUrl: undefined },
    ],
  ])('reads %s from GET /v1/users/:id', async (_name, user, expected) => {
    const id = `user_${Math.random().toString(36).slice(2)}`;
    clerk.users.set(id, { id, ...user });
    const fetchProfile = createClerkProfileFetcher(
      createClerkBackend({ secretKey: 'sk_test_profile', apiUrl: clerk.url }),
    );
    expect(await fetchProfile(id)).toEqual(expected);
    expect(clerk.requests.filter((r) => r.path === `GET /v1/users/${id}`)).toEqual([
      { path: `GET /v1/users/${id}`, authorization: 'Bearer sk_test_profile' },
    ]);
  });

  it('fails (does not invent a profile) when Clerk does not know the user', async () => {
    const fetchProfile = createClerkProfileFetcher(
      createClerkBackend({ secretKey: 'sk_test_profile', apiUrl: clerk.url }),
    );
    await expect(fetchProfile('user_unknown')).rejects.toThrow();
  });

  it("uses Clerk's own API when no URL is configured (no request is made until asked)", () => {
    expect(
      typeof createClerkProfileFetcher(createClerkBackend({ secretKey: 'sk_test_profile', apiUrl: undefined })),
    ).toBe('function');
  });
});
