// Every API call is logged once, under the request id the web app sends to the API as x-request-id, so one
// request can be followed through both services' logs: its operation, the API's status and how long it took.
import { describe, expect, it, vi } from 'vitest';
import { FAKE_VIEWER, WEB_ORIGIN } from './support/fake-api';
import { fakeSession, useFakeApi } from './support/use-fake-api';

const api = useFakeApi();

const viewer = FAKE_VIEWER;

async function setup() {
  const { createApi } = await import('~/graphql/client.server');
  const { ViewerQuery } = await import('~/graphql/users.server');
  const { logger } = await import('~/lib/log.server');
  const request = new Request(`${WEB_ORIGIN}/app`, { headers: { 'x-request-id': 'req-log-1' } });
  return {
    client: createApi(fakeSession(), request),
    ViewerQuery,
    debug: vi.spyOn(logger, 'debug'),
    info: vi.spyOn(logger, 'info'),
  };
}

describe('api.request', () => {
  it('logs a successful call at debug, with the request id the API received', async () => {
    api().graphql = [{ body: { data: { viewer } } }];
    const { client, ViewerQuery, debug, info } = await setup();
    await client.query(ViewerQuery, {});
    const sent = api().requests.find((request) => request.path === '/graphql')!;
    expect(sent.headers['x-request-id']).toBe('req-log-1');
    expect(debug).toHaveBeenCalledWith('api.request', {
      requestId: 'req-log-1',
      operation: 'Viewer',
      status: 200,
      durationMs: expect.any(Number),
    });
    expect(info).not.toHaveBeenCalledWith('api.request', expect.anything());
  });

  it("logs a failed call at info with the API's status", async () => {
    api().graphql = [
      { status: 503, body: { errors: [{ message: 'down', extensions: { code: 'SERVICE_UNAVAILABLE' } }] } },
    ];
    const { client, ViewerQuery, info } = await setup();
    await expect(client.query(ViewerQuery, {})).rejects.toBeInstanceOf(Response);
    expect(info).toHaveBeenCalledWith('api.request', {
      requestId: 'req-log-1',
      operation: 'Viewer',
      status: 503,
      durationMs: expect.any(Number),
      failed: true,
    });
  });

  it('logs a call that never reached the API without a status', async () => {
    // Nothing listens there: the connection is refused. (The environment is restored after each test.)
    process.env.API_URL = 'http://127.0.0.1:9';
    const { client, ViewerQuery, info } = await setup();
    await expect(client.query(ViewerQuery, {})).rejects.toBeInstanceOf(Response);
    expect(info).toHaveBeenCalledWith(
      'api.request',
      expect.objectContaining({ requestId: 'req-log-1', status: undefined }),
    );
  });
});
