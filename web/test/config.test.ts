import { describe, expect, it } from 'vitest';
import { ConfigError, LOCAL_PUBLISHABLE_KEY, configFrom, configWarnings } from '~/config.server';

/** `npm run dev`: the Vite dev server, which listens on localhost only. */
const VITE_DEV = { viteDevServer: true };
const CLERK_KEYS = { CLERK_PUBLISHABLE_KEY: 'pk_live_x', CLERK_SECRET_KEY: 'sk_live_x' };

describe('configFrom', () => {
  it('defaults to local identity mode on loopback with a working day of session', () => {
    const config = configFrom({}, VITE_DEV);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      authMode: 'local',
      apiUrl: 'http://127.0.0.1:4000',
      authorizedParties: ['http://localhost:3000'],
      local: { sessionTtlSeconds: 36000, refreshBeforeSeconds: 3600 },
    });
    expect(config.clerk.publishableKey).toBe(LOCAL_PUBLISHABLE_KEY);
    expect(config.clerk.secretKey).not.toBe('');
  });

  it('uses a pk_live_ key whose Frontend API host is a reserved, unresolvable name', () => {
    expect(LOCAL_PUBLISHABLE_KEY.startsWith('pk_live_')).toBe(true);
    const host = Buffer.from(LOCAL_PUBLISHABLE_KEY.slice('pk_live_'.length), 'base64').toString('utf8');
    expect(host).toBe('clerk.local.invalid$');
  });

  it('takes the log level from LOG_LEVEL, info by default, and refuses unknown levels', () => {
    expect(configFrom({}, VITE_DEV).logLevel).toBe('info');
    expect(configFrom({ LOG_LEVEL: 'silent' }, VITE_DEV).logLevel).toBe('silent');
    expect(() => configFrom({ LOG_LEVEL: 'loud' }, VITE_DEV)).toThrow(/LOG_LEVEL: must be one of/);
  });

  it('refuses local mode in production', () => {
    expect(() => configFrom({ NODE_ENV: 'production', AUTH_MODE: 'local' })).toThrow(
      new ConfigError('AUTH_MODE=local is refused when NODE_ENV=production'),
    );
  });

  it('chooses clerk mode in production and then requires the keys and the origin', () => {
    expect(() => configFrom({ NODE_ENV: 'production' })).toThrow(/CLERK_PUBLISHABLE_KEY/);
    expect(() => configFrom({ NODE_ENV: 'production', CLERK_PUBLISHABLE_KEY: 'pk_live_x' })).toThrow(
      /CLERK_SECRET_KEY/,
    );
    expect(() =>
      configFrom({ NODE_ENV: 'production', CLERK_PUBLISHABLE_KEY: 'pk_live_x', CLERK_SECRET_KEY: 'sk_live_x' }),
    ).toThrow(/CLERK_AUTHORIZED_PARTIES/);
    const config = configFrom({
      NODE_ENV: 'production',
      CLERK_PUBLISHABLE_KEY: 'pk_live_x',
      CLERK_SECRET_KEY: 'sk_live_x',
      CLERK_JWT_KEY: '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----',
      CLERK_AUTHORIZED_PARTIES: 'https://app.example.com',
      API_URL: 'https://api.example.com/',
    });
    expect(config).toMatchObject({
      authMode: 'clerk',
      apiUrl: 'https://api.example.com',
      authorizedParties: ['https://app.example.com'],
      clerk: { jwtKey: '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----' },
    });
  });

  it('switches to clerk mode when a Clerk key is set', () => {
    expect(() => configFrom({ CLERK_SECRET_KEY: 'sk_test_x' })).toThrow(/CLERK_PUBLISHABLE_KEY/);
    expect(configFrom({ CLERK_SECRET_KEY: 'sk_test_x', CLERK_PUBLISHABLE_KEY: 'pk_test_x' }).authMode).toBe('clerk');
    expect(() => configFrom({ CLERK_JWT_KEY: '-----BEGIN PUBLIC KEY-----' })).toThrow(/CLERK_PUBLISHABLE_KEY/);
  });

  it('stays in local mode with the other CLERK_* variables set', () => {
    const env = {
      CLERK_AUTHORIZED_PARTIES: 'http://localhost:3000',
      CLERK_API_URL: 'http://127.0.0.1:4010',
      CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_x',
    };
    expect(configFrom(env, VITE_DEV).authMode).toBe('local');
  });

  it('keeps local mode on loopback', () => {
    expect(() => configFrom({ API_URL: 'http://api.example.com' }, VITE_DEV)).toThrow(/loopback/);
    expect(configFrom({ API_URL: 'http://localhost:4100' }, VITE_DEV).apiUrl).toBe('http://localhost:4100');
  });

  it('serves local mode without HOST only from the Vite dev server in development', () => {
    expect(configFrom({ NODE_ENV: 'development' }, VITE_DEV).authMode).toBe('local');
    const refused = new ConfigError(
      'AUTH_MODE=local signs in anyone who can reach the web app: set HOST to a loopback address (127.0.0.1, localhost, ::1) so the server listens on loopback only',
    );
    // The built web server (web/server.mjs) listens on every interface unless HOST says otherwise.
    expect(() => configFrom({ NODE_ENV: 'test', AUTH_MODE: 'local' })).toThrow(refused);
    expect(() => configFrom({ NODE_ENV: 'development', AUTH_MODE: 'local' })).toThrow(refused);
    expect(() => configFrom({ NODE_ENV: 'test', AUTH_MODE: 'local' }, VITE_DEV)).toThrow(refused);
  });

  it.each(['127.0.0.1', 'localhost', '::1'])('serves local mode anywhere with HOST=%s', (HOST) => {
    expect(configFrom({ NODE_ENV: 'test', AUTH_MODE: 'local', HOST }).authMode).toBe('local');
    expect(configFrom({ HOST }, VITE_DEV).authMode).toBe('local');
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'example.com'])('refuses local mode with HOST=%s', (HOST) => {
    const refused = new ConfigError(
      `AUTH_MODE=local signs in anyone who can reach the web app: HOST must be a loopback address (127.0.0.1, localhost, ::1), not "${HOST}"`,
    );
    expect(() => configFrom({ NODE_ENV: 'test', HOST })).toThrow(refused);
    expect(() => configFrom({ HOST }, VITE_DEV)).toThrow(refused);
  });

  it('needs no HOST in clerk mode', () => {
    expect(configFrom({ NODE_ENV: 'test', ...CLERK_KEYS }).authMode).toBe('clerk');
    expect(configFrom({ NODE_ENV: 'test', HOST: '0.0.0.0', ...CLERK_KEYS }).authMode).toBe('clerk');
  });

  it('refuses a plain-http API_URL off loopback in production: tokens would travel in cleartext', () => {
    const production = { NODE_ENV: 'production', ...CLERK_KEYS, CLERK_AUTHORIZED_PARTIES: 'https://app.example.com' };
    expect(() => configFrom({ ...production, API_URL: 'http://api.example.com' })).toThrow(
      new ConfigError(
        'API_URL must be https in production (session tokens travel to it as bearer tokens), or a loopback address: got http://api.example.com',
      ),
    );
    expect(() => configFrom({ ...production, API_URL: 'http://10.0.0.5:4000' })).toThrow(/API_URL must be https/);
    expect(configFrom({ ...production, API_URL: 'https://api.example.com' }).apiUrl).toBe('https://api.example.com');
    expect(configFrom({ ...production, API_URL: 'http://127.0.0.1:4000' }).apiUrl).toBe('http://127.0.0.1:4000');
    // Outside production (a staging API on a private network, say) plain http stays allowed.
    expect(configFrom({ ...production, NODE_ENV: 'test', API_URL: 'http://api.internal' }).apiUrl).toBe(
      'http://api.internal',
    );
  });

  it('reads the environment as the API server does: blank is unset, every invalid variable named at once', () => {
    expect(configFrom({ NODE_ENV: ' ', LOG_LEVEL: '', API_URL: '', HOST: '' }, VITE_DEV)).toMatchObject({
      nodeEnv: 'development',
      logLevel: 'info',
      apiUrl: 'http://127.0.0.1:4000',
    });
    expect(() => configFrom({ API_TIMEOUT_MS: 'soon', AUTH_MODE: 'magic' }, VITE_DEV)).toThrow(
      new ConfigError(
        'Invalid environment: AUTH_MODE: must be one of clerk, local, got "magic"; API_TIMEOUT_MS: must be a whole number, got "soon"',
      ),
    );
  });

  it.each([
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ AUTH_MODE: 'magic' }, /AUTH_MODE/],
    [{ API_URL: 'not a url' }, /API_URL/],
    [{ API_URL: 'ftp://127.0.0.1' }, /API_URL/],
    [{ CLERK_AUTHORIZED_PARTIES: 'http://localhost:3000/app' }, /bare origin/],
    [{ CLERK_AUTHORIZED_PARTIES: 'nope' }, /not a URL/],
    [{ LOCAL_SESSION_TTL_SECONDS: '10' }, /LOCAL_SESSION_TTL_SECONDS/],
    [{ LOCAL_SESSION_TTL_SECONDS: 'ten' }, /whole number/],
    [{ LOCAL_SESSION_REFRESH_BEFORE_SECONDS: '36000' }, /LOCAL_SESSION_REFRESH_BEFORE_SECONDS/],
    [{ API_TIMEOUT_MS: '5' }, /API_TIMEOUT_MS/],
  ])('rejects %o', (env, message) => {
    expect(() => configFrom(env, VITE_DEV)).toThrow(message);
  });
});

describe('configWarnings', () => {
  const production = {
    NODE_ENV: 'production',
    CLERK_PUBLISHABLE_KEY: 'pk_live_x',
    CLERK_SECRET_KEY: 'sk_live_secret_value',
    CLERK_AUTHORIZED_PARTIES: 'https://app.example.com',
    API_URL: 'https://api.example.com',
  };
  const pem = '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----';

  it('recommends CLERK_JWT_KEY in production when session cookies are verified through the JWKS', () => {
    const warnings = configWarnings(configFrom(production));
    expect(warnings).toEqual([
      { event: 'config.clerk_jwt_key_missing', message: expect.stringContaining('Set CLERK_JWT_KEY') },
    ]);
    // It names the setting, never a key.
    expect(JSON.stringify(warnings)).not.toContain('sk_live_secret_value');
    expect(JSON.stringify(warnings)).not.toContain('pk_live_x');
  });

  it('has nothing to say with CLERK_JWT_KEY, outside production, or in local mode', () => {
    expect(configWarnings(configFrom({ ...production, CLERK_JWT_KEY: pem }))).toEqual([]);
    expect(configWarnings(configFrom({ NODE_ENV: 'test', ...CLERK_KEYS }))).toEqual([]);
    expect(configWarnings(configFrom({}, VITE_DEV))).toEqual([]);
  });
});
