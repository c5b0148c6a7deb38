import { afterAll, beforeAll, expect, it } from 'vitest';
import { gql, newIdentity, startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

it('serves the viewer of a fresh identity, provisioned on first sight', async () => {
  const { email, token } = await newIdentity(server, 'smoke');
  const res = await gql<{ viewer: { email: string; role: string } }>(server, token, '{ viewer { email role } }');
  expect(res.status).toBe(200);
  expect(res.body.data?.viewer).toEqual({ email, role: 'USER' });
});
