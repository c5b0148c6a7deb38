import { describe, expect, it } from 'vitest';
import { ConfigError, LOCAL_PUBLISHABLE_KEY, configFrom } from '~/config.server';

describe('configFrom', () => {
  it('defaults to local identity mode on loopback with a working day of session', () => {
    const config = configFrom({});
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
    expect(configFrom({}).logLevel).toBe('info');
    expect(configFrom({ LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
    expect(() => configFrom({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
  });

  it('refuses local mode in production', () => {
    expect(() => configFrom({ NODE_ENV: 'production', AUTH_MODE: 'local' })).toThrow(
      new ConfigError('AUTH_MODE=local is refused when NODE_ENV=production: configure Clerk keys'),
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

  it('switches to clerk mode when any Clerk key is set', () => {
    expect(() => configFrom({ CLERK_SECRET_KEY: 'sk_test_x' })).toThrow(/CLERK_PUBLISHABLE_KEY/);
    expect(configFrom({ CLERK_SECRET_KEY: 'sk_test_x', CLERK_PUBLISHABLE_KEY: 'pk_test_x' }).authMode).toBe('clerk');
  });

  it('keeps local mode on loopback', () => {
    expect(() => configFrom({ API_URL: 'http://api.example.com' })).toThrow(/loopback/);
    expect(configFrom({ API_URL: 'http://localhost:4100' }).apiUrl).toBe('http://localhost:4100');
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
    expect(() => configFrom(env)).toThrow(message);
  });
});
