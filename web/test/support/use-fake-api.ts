// The setup the server-side tests share: one fake API for the file (or the describe block it is called
// in), the environment of local identity mode pointing at it, fresh modules for every test (config is
// read on import), and a signed-in session to hand to createApi.
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import type { SignedIn } from '~/auth/auth.server';
import { startFakeApi, WEB_ORIGIN, type FakeApi } from './fake-api';

/** Local identity mode with no Clerk keys at all, as the session middleware sees it (undefined: unset). */
export const LOCAL_IDENTITY_ENV: Record<string, string | undefined> = {
  CLERK_AUTHORIZED_PARTIES: WEB_ORIGIN,
  CLERK_SECRET_KEY: undefined,
  CLERK_PUBLISHABLE_KEY: undefined,
  CLERK_JWT_KEY: undefined,
  CLERK_API_URL: undefined,
};

/**
 * Starts a fake API before the tests and closes it after them. Before each test: fresh modules, the
 * environment below plus `extraEnv` (a value of undefined unsets the variable), and the fake's record
 * cleared (requests, sessions); after each, the environment as it was. Returns a getter for the fake.
 */
export function useFakeApi(extraEnv: Record<string, string | undefined> = {}): () => FakeApi {
  let api: FakeApi | undefined;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    api = await startFakeApi();
  });
  afterAll(async () => {
    await api?.close();
  });
  beforeEach(() => {
    vi.resetModules();
    const env: Record<string, string | undefined> = {
      NODE_ENV: 'test',
      AUTH_MODE: 'local',
      HOST: '127.0.0.1',
      API_URL: fakeApi().url,
      API_TIMEOUT_MS: '2000',
      ...extraEnv,
    };
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    fakeApi().requests.length = 0;
    fakeApi().activeSessions = new Set(['sess_test_1']);
    fakeApi().endedSessions = [];
  });
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  function fakeApi(): FakeApi {
    if (!api) throw new Error('the fake API is not started yet (use it in a test or hook)');
    return api;
  }
  return fakeApi;
}

/** A signed-in session as requireUser returns it: user_1 with token-abc (fields in `overrides` replace). */
export function fakeSession(overrides: Partial<SignedIn> = {}): SignedIn {
  return {
    user: { userId: 'user_1', email: null, firstName: null, lastName: null, imageUrl: null },
    sessionId: 'sess_1',
    token: 'token-abc',
    headers: new Headers(),
    ...overrides,
  };
}
