// The built server loads entry.server.tsx once when it starts: that is where the web app logs what is
// allowed but unwise, once per process. In production Clerk mode without CLERK_JWT_KEY, @clerk/remix asks
// Clerk for its keys whenever a cookie names a key id it does not hold, so the web app says so, as the
// API server does (server/src/main.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';

const SECRET_KEY = 'sk_live_never_in_a_log_line';
const PRODUCTION_CLERK_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  AUTH_MODE: 'clerk',
  CLERK_PUBLISHABLE_KEY: 'pk_live_Y2xlcmsuZXhhbXBsZS5jb20k',
  CLERK_SECRET_KEY: SECRET_KEY,
  // Blank counts as unset, and keeps a CLERK_JWT_KEY in a developer's .env from being loaded over it.
  CLERK_JWT_KEY: '',
  CLERK_AUTHORIZED_PARTIES: 'https://app.example.com',
  API_URL: 'https://api.example.com',
  LOG_LEVEL: 'silent',
};

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
  vi.restoreAllMocks();
});

/** Loads the server entry as the server does at start, in `env`; returns the spied logger.warn. */
async function startWith(env: Record<string, string>) {
  vi.resetModules();
  process.env = { ...savedEnv, ...env };
  const { logger } = await import('~/lib/log.server');
  const warn = vi.spyOn(logger, 'warn');
  await import('~/entry.server');
  return warn;
}

describe('start-up warnings', () => {
  it('recommends CLERK_JWT_KEY once per process in production Clerk mode without it, naming no key', async () => {
    const warn = await startWith(PRODUCTION_CLERK_ENV);
    // The module is evaluated once per process: loading it again logs nothing more.
    await import('~/entry.server');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('config.clerk_jwt_key_missing', {
      msg: expect.stringContaining('Set CLERK_JWT_KEY'),
    });
    expect(JSON.stringify(warn.mock.calls)).not.toContain(SECRET_KEY);
  });

  it('says nothing with CLERK_JWT_KEY set', async () => {
    const warn = await startWith({
      ...PRODUCTION_CLERK_ENV,
      CLERK_JWT_KEY: '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----',
    });
    expect(warn).not.toHaveBeenCalled();
  });

  it('says nothing outside production', async () => {
    const warn = await startWith({ ...PRODUCTION_CLERK_ENV, NODE_ENV: 'test' });
    expect(warn).not.toHaveBeenCalled();
  });
});
