// The Backend API client wrapper against real HTTP servers that answer like Clerk, fail, hang or are not
// there: every outcome is a ClerkRefusedError or a ClerkUnavailableError, within the deadline.
import { createServer, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/free-port.js';
import { listen, type ListeningServer } from '../../test/support/listen.js';
import { ClerkRefusedError, ClerkUnavailableError, createClerkBackend, type ClerkBackend } from './backend-api.js';

/** What the fake answers next, by path: a status and Clerk-shaped body, or 'hang'. */
const answers = new Map<string, { status: number; body: unknown; headers?: Record<string, string> } | 'hang'>();
const seen: { path: string; authorization: string | undefined }[] = [];
let clerk: ListeningServer;
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  clerk = await listen(
    createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      seen.push({ path, authorization: req.headers.authorization });
      const answer = answers.get(path);
      if (answer === 'hang') {
        hanging.push(res);
        return;
      }
      const { status, body, headers } = answer ?? { status: 404, body: { errors: [] } };
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    }),
  );
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  await clerk.close();
});

const backend = (options: Partial<Parameters<typeof createClerkBackend>[0]> = {}): ClerkBackend =>
  createClerkBackend({ secretKey: 'sk_test_wrapper', apiUrl: clerk.base, ...options });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const getUser = (b: ClerkBackend, id: string) => b.call('users.getUser', (api) => api.users.getUser(id));

const USER = {
  object: 'user',
  id: 'user_ok',
  first_name: 'Ok',
  last_name: null,
  image_url: '',
  has_image: false,
  email_addresses: [],
  phone_numbers: [],
  web3_wallets: [],
  external_accounts: [],
  saml_accounts: [],
  public_metadata: {},
  private_metadata: {},
  unsafe_metadata: {},
  created_at: 1,
  updated_at: 2,
};

describe('createClerkBackend', () => {
  it('answers with the SDK’s own resource, sending the secret key', async () => {
    answers.set('/v1/users/user_ok', { status: 200, body: USER });
    const user = await getUser(backend(), 'user_ok');
    expect(user.firstName).toBe('Ok');
    expect(user.raw?.updated_at).toBe(2);
    expect(seen.filter((r) => r.path === '/v1/users/user_ok')).toEqual([
      { path: '/v1/users/user_ok', authorization: 'Bearer sk_test_wrapper' },
    ]);
  });

  it('asks a function for the API URL on every call (the stand-in’s port is known later)', async () => {
    answers.set('/v1/users/user_ok', { status: 200, body: USER });
    const stand: { url?: string } = {};
    const lazy = backend({ apiUrl: () => stand.url });
    expect(await failure(getUser(lazy, 'user_ok'))).toMatchObject({
      name: 'ClerkUnavailableError',
      reason: 'unreachable',
    });
    stand.url = clerk.base;
    expect((await getUser(lazy, 'user_ok')).id).toBe('user_ok');
  });

  it('a 422 is a refusal with Clerk’s reasons, parameter names included', async () => {
    answers.set('/v1/users/user_422', {
      status: 422,
      body: {
        errors: [
          {
            code: 'form_param_format_invalid',
            message: 'is too long',
            long_message: 'first_name is too long',
            meta: { param_name: 'first_name' },
          },
          { code: 'form_param_unknown', message: 'is unknown' },
        ],
      },
    });
    const error = await failure(getUser(backend(), 'user_422'));
    expect(error).toBeInstanceOf(ClerkRefusedError);
    expect(error).toMatchObject({
      status: 422,
      reasons: [
        {
          code: 'form_param_format_invalid',
          message: 'is too long',
          longMessage: 'first_name is too long',
          paramName: 'first_name',
        },
        { code: 'form_param_unknown', message: 'is unknown', longMessage: undefined, paramName: undefined },
      ],
    });
    expect((error as Error).message).toBe('users.getUser: first_name is too long');
  });

  it('a 429 is a refusal that says when to retry', async () => {
    answers.set('/v1/users/user_429', {
      status: 429,
      body: { errors: [{ code: 'too_many_requests', message: 'slow down' }] },
      headers: { 'retry-after': '7' },
    });
    expect(await failure(getUser(backend(), 'user_429'))).toMatchObject({
      name: 'ClerkRefusedError',
      status: 429,
      retryAfter: 7,
    });
  });

  it.each([
    [401, 'rejected-credentials'],
    [403, 'rejected-credentials'],
    [408, 'server-error'],
    [500, 'server-error'],
    [502, 'server-error'],
    [503, 'server-error'],
  ])('HTTP %i is unavailable (%s): not the caller’s fault', async (status, reason) => {
    answers.set(`/v1/users/user_${status}`, { status, body: { errors: [{ code: 'x', message: 'x' }] } });
    expect(await failure(getUser(backend(), `user_${status}`))).toMatchObject({
      name: 'ClerkUnavailableError',
      reason,
      status,
    });
  });

  it('a server that is not there is unreachable', async () => {
    const error = await failure(getUser(backend({ apiUrl: `http://127.0.0.1:${await freePort()}` }), 'user_x'));
    expect(error).toBeInstanceOf(ClerkUnavailableError);
    expect(error).toMatchObject({ reason: 'unreachable', status: undefined });
  });

  it('a server that does not answer in time is a timeout, at the deadline', async () => {
    answers.set('/v1/users/user_hang', 'hang');
    const started = Date.now();
    const error = await failure(getUser(backend({ timeoutMs: 200 }), 'user_hang'));
    expect(error).toMatchObject({ name: 'ClerkUnavailableError', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('without a secret key nothing is sent: not configured', async () => {
    const before = seen.length;
    expect(await failure(getUser(backend({ secretKey: undefined }), 'user_ok'))).toMatchObject({
      name: 'ClerkUnavailableError',
      reason: 'not-configured',
    });
    expect(seen.length).toBe(before);
  });
});
