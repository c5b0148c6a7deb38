import { beforeEach, describe, expect, it, vi } from 'vitest';

const savedEnv = { ...process.env };

beforeEach(() => {
  vi.resetModules();
  process.env = {
    ...savedEnv,
    NODE_ENV: 'test',
    AUTH_MODE: 'local',
    HOST: '127.0.0.1',
    CLERK_AUTHORIZED_PARTIES: 'http://localhost:3000',
  };
});

async function run(request: Request, work: () => Promise<unknown> = async () => 'ok') {
  const { guarded } = await import('~/lib/guard.server');
  return guarded(request, work).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

function post(headers: Record<string, string>) {
  return new Request('http://localhost:3000/sign-out', { method: 'POST', headers });
}

describe('guarded', () => {
  it('runs same-origin posts and plain GETs', async () => {
    expect(await run(post({ origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }))).toEqual({
      value: 'ok',
    });
    expect(await run(post({}))).toEqual({ value: 'ok' });
    expect(
      await run(new Request('http://localhost:3000/app', { headers: { 'sec-fetch-site': 'cross-site' } })),
    ).toEqual({
      value: 'ok',
    });
  });

  it.each([[{ origin: 'https://evil.example' }], [{ 'sec-fetch-site': 'cross-site' }], [{ origin: 'null' }]])(
    'refuses a cross-site form post %o with 403',
    async (headers) => {
      const { error } = (await run(post(headers))) as { error: Response };
      expect(error).toBeInstanceOf(Response);
      expect(error.status).toBe(403);
    },
  );

  it('turns an unexpected failure into a 500 page with a request id and no details', async () => {
    const request = new Request('http://localhost:3000/app', { headers: { 'x-request-id': 'req-9' } });
    const { error } = (await run(request, async () => {
      throw new Error('secret stack detail');
    })) as { error: Response };
    expect(error.status).toBe(500);
    const body = JSON.stringify(await error.json());
    expect(body).toContain('req-9');
    expect(body).not.toContain('secret stack detail');
  });

  it('passes thrown responses (redirects, error pages) through', async () => {
    const redirect = new Response(null, { status: 302, headers: { location: '/sign-in' } });
    const { error } = (await run(new Request('http://localhost:3000/app'), async () => {
      throw redirect;
    })) as { error: Response };
    expect(error).toBe(redirect);
  });
});
