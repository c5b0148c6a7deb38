// Yoga's CORS is off (ADR 0066): the API is called server to server only, so no browser page on another
// site may read its answers. A preflight from another origin, and a request that carries an Origin, get
// no Access-Control-* header at all; without `cors: false` Yoga reflects any Origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, newIdentity, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ token } = await newIdentity(server, 'cors'));
});

afterAll(() => server?.close());

const EVIL = 'https://evil.example';

function accessControlHeaders(response: Response): string[] {
  return [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));
}

describe('CORS on /graphql', () => {
  it('answers a cross-origin preflight without Access-Control-Allow-Origin', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: EVIL,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    await response.body?.cancel();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(accessControlHeaders(response)).toEqual([]);
  });

  it('answers a request with an Origin, signed in, without any Access-Control header', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { origin: EVIL, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: { viewer: { id: string } | null } };
    expect(body.data?.viewer?.id).toBeTruthy();
    expect(accessControlHeaders(response)).toEqual([]);
  });

  it('still serves the server-to-server call the web app makes (no Origin)', async () => {
    const res = await gql<{ viewer: { id: string } | null }>(server, token, '{ viewer { id } }');
    expect(res.body.data?.viewer?.id).toBeTruthy();
  });
});
