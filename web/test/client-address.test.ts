// The browser's address reaches the API as X-Forwarded-For: taken from the header the production server
// (server.mjs) sets on every request, only when that server hosts the app (it marks globalThis), and only
// when it is an IP address. The built server's own part (that it marks itself and sets the header from the
// connection or a trusted proxy) is in production.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEB_ORIGIN } from './support/fake-api';
import { fakeSession, useFakeApi } from './support/use-fake-api';

const api = useFakeApi();

/** Runs one query with `headers` on the browser's request; returns the X-Forwarded-For the API received. */
async function forwardedFor(headers: Record<string, string>): Promise<string | undefined> {
  const { createApi } = await import('~/graphql/client.server');
  const { ViewerQuery } = await import('~/graphql/users.server');
  api().graphql = [{ body: { data: { viewer: { id: 'VXNlcjox' } } } }];
  const request = new Request(`${WEB_ORIGIN}/app`, { headers });
  await createApi(fakeSession(), request)
    .query(ViewerQuery, {})
    .catch(() => undefined);
  const sent = api().requests.find((recorded) => recorded.path === '/graphql');
  expect(sent).toBeDefined();
  return sent!.headers['x-forwarded-for'] as string | undefined;
}

const WEB_SERVER_MARKER = Symbol.for('deal-brain.web-server');
const globals = globalThis as Record<symbol, unknown>;

describe('the client address sent to the API, under web/server.mjs', () => {
  beforeEach(() => {
    globals[WEB_SERVER_MARKER] = true;
  });
  afterEach(() => {
    delete globals[WEB_SERVER_MARKER];
  });

  it.each(['203.0.113.9', '2001:db8::1', '::ffff:127.0.0.1'])(
    'is the address the server recorded: %s',
    async (address) => {
      expect(await forwardedFor({ 'x-deal-brain-client-address': address })).toBe(address);
    },
  );

  it('is absent when the server recorded none', async () => {
    expect(await forwardedFor({})).toBeUndefined();
  });

  it('is never what the browser put in its own X-Forwarded-For', async () => {
    expect(await forwardedFor({ 'x-forwarded-for': '198.51.100.7' })).toBeUndefined();
  });

  it.each(['', 'not-an-address', '203.0.113.9, 198.51.100.7'])(
    'is absent for a value that is not one address: "%s"',
    async (value) => {
      expect(await forwardedFor({ 'x-deal-brain-client-address': value })).toBeUndefined();
    },
  );
});

describe('the client address sent to the API, under any other host', () => {
  it('is absent whatever the header says: only the browser could have set it', async () => {
    const { WEB_SERVER_MARKER: exported } = await import('~/graphql/client.server');
    expect(exported).toBe(WEB_SERVER_MARKER);
    expect(globals[WEB_SERVER_MARKER]).toBeUndefined();
    expect(await forwardedFor({ 'x-deal-brain-client-address': '203.0.113.9' })).toBeUndefined();
  });
});
