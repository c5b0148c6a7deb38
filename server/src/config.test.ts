import { describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, loadConfig } from './config.js';

const clerkKeys = { CLERK_SECRET_KEY: 'sk_test_placeholder', CLERK_AUTHORIZED_PARTIES: 'https://app.example.com' };
// Built at run time: no secret-shaped string is committed, not even a test's.
const webhookSecret = { CLERK_WEBHOOK_SIGNING_SECRET: `whsec_${Buffer.from('config test secret').toString('base64')}` };

describe('loadConfig', () => {
  it('defaults to local identity mode with the embedded database in development', () => {
    const config = loadConfig({});
    expect(config.nodeEnv).toBe('development');
    expect(config.auth.mode).toBe('local');
    expect(config.auth.authorizedParties).toEqual(['http://localhost:3000']);
    expect(config.database.url).toBeUndefined();
    expect(config.port).toBe(4000);
    expect(config.graphql.graphiql).toBe(true);
  });

  it('switches to clerk mode as soon as a Clerk key is configured', () => {
    expect(loadConfig({ CLERK_SECRET_KEY: 'sk_test_placeholder' }).auth.mode).toBe('clerk');
    expect(loadConfig({ CLERK_JWT_KEY: 'pem' }).auth.mode).toBe('clerk');
  });

  it('reads a PEM with escaped newlines from one env line', () => {
    const config = loadConfig({ CLERK_JWT_KEY: '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----' });
    expect(config.auth.clerk.jwtKey).toBe('-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----');
  });

  it('refuses local mode in production, even when asked for explicitly', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'local', DATABASE_URL: 'postgres://x' })).toThrow(
      /AUTH_MODE=local is refused/,
    );
  });

  it('never falls back to local mode in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x' })).toThrow(ConfigError);
  });

  it('requires authorized origins and a database in production', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', CLERK_SECRET_KEY: 'sk_test_placeholder', DATABASE_URL: 'postgres://x' }),
    ).toThrow(/CLERK_AUTHORIZED_PARTIES must be set/);
    expect(() => loadConfig({ NODE_ENV: 'production', ...clerkKeys })).toThrow(
      /CLERK_WEBHOOK_SIGNING_SECRET must be set/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', ...clerkKeys, ...webhookSecret })).toThrow(
      /DATABASE_URL must be set/,
    );
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x', ...clerkKeys, ...webhookSecret });
    expect(config.auth.mode).toBe('clerk');
    expect(config.graphql.graphiql).toBe(false);
  });

  it('accepts only a Svix signing secret for webhooks', () => {
    expect(loadConfig(webhookSecret).auth.webhookSigningSecret).toBe(webhookSecret.CLERK_WEBHOOK_SIGNING_SECRET);
    expect(loadConfig({}).auth.webhookSigningSecret).toBeUndefined();
    expect(() => loadConfig({ CLERK_WEBHOOK_SIGNING_SECRET: 'not-a-secret' })).toThrow(
      /CLERK_WEBHOOK_SIGNING_SECRET: must be a Svix signing secret/,
    );
  });

  it('keeps local identity mode on loopback: it hands out admin tokens on request', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/HOST must be a loopback address, not "0.0.0.0"/);
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig({ HOST: '0.0.0.0', CLERK_SECRET_KEY: 'sk_test_placeholder' }).auth.mode).toBe('clerk');
  });

  it('requires a way to verify tokens in clerk mode', () => {
    expect(() => loadConfig({ AUTH_MODE: 'clerk' })).toThrow(/CLERK_JWT_KEY .* or CLERK_SECRET_KEY/);
  });

  it('accepts only bare origins as authorized parties', () => {
    expect(
      loadConfig({ CLERK_AUTHORIZED_PARTIES: 'https://a.example.com, https://b.example.com/' }).auth.authorizedParties,
    ).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(() => loadConfig({ CLERK_AUTHORIZED_PARTIES: 'not a url' })).toThrow(/is not a URL/);
    expect(() => loadConfig({ CLERK_AUTHORIZED_PARTIES: 'https://a.example.com/path' })).toThrow(/bare origin/);
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(/PORT: .*LOG_LEVEL: /);
  });

  it('reads TRUSTED_PROXIES as addresses, ranges or loopback (default: trust nobody) and refuses anything else', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.0/8, loopback ,192.0.2.1,' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      'loopback',
      '192.0.2.1',
    ]);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'proxy.example.com' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/99' })).toThrow(/TRUSTED_PROXIES/);
  });

  it('reads TRUSTED_PROXY_HEADER as x-forwarded-for (default) or forwarded, any case, and refuses anything else', () => {
    expect(loadConfig({}).trustedProxyHeader).toBe('x-forwarded-for');
    expect(loadConfig({ TRUSTED_PROXY_HEADER: ' Forwarded ' }).trustedProxyHeader).toBe('forwarded');
    expect(loadConfig({ TRUSTED_PROXY_HEADER: 'X-Forwarded-For' }).trustedProxyHeader).toBe('x-forwarded-for');
    expect(() => loadConfig({ TRUSTED_PROXY_HEADER: 'x-real-ip' })).toThrow(/TRUSTED_PROXY_HEADER: must be one of/);
  });

  it('keeps audit events 365 days unless AUDIT_RETENTION_DAYS says otherwise (at least 1)', () => {
    expect(loadConfig({}).audit.retentionDays).toBe(365);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '30' }).audit.retentionDays).toBe(30);
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '0' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });

  it('purges what deleted users owned after 30 days unless USER_PURGE_AFTER_DAYS says otherwise (at least 1)', () => {
    expect(loadConfig({}).users.purgeAfterDays).toBe(30);
    expect(loadConfig({ USER_PURGE_AFTER_DAYS: '90' }).users.purgeAfterDays).toBe(90);
    expect(() => loadConfig({ USER_PURGE_AFTER_DAYS: '0' })).toThrow(/USER_PURGE_AFTER_DAYS/);
  });

  it('gives a user and an API key budgets a real user never reaches, at least one request each', () => {
    expect(loadConfig({}).rateLimit).toMatchObject({ userPoints: 3_000_000, apiKeyPoints: 1_500_000 });
    expect(loadConfig({ RATE_LIMIT_USER_POINTS: '500', RATE_LIMIT_API_KEY_POINTS: '500' }).rateLimit).toMatchObject({
      userPoints: 500,
      apiKeyPoints: 500,
    });
    expect(() => loadConfig({ RATE_LIMIT_USER_POINTS: '499' })).toThrow(
      'RATE_LIMIT_USER_POINTS: must be between 500 and 1000000000, got 499',
    );
    expect(() => loadConfig({ RATE_LIMIT_API_KEY_POINTS: '1' })).toThrow(/RATE_LIMIT_API_KEY_POINTS/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', CLERK_SECRET_KEY: '  ' }).auth.mode).toBe('local');
    const config = loadConfig({ PORT: '', HOST: ' ', NODE_ENV: '', LOG_LEVEL: '' });
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', nodeEnv: 'development', logLevel: 'info' });
  });

  it('takes whole numbers only, within bounds', () => {
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(() => loadConfig({ PORT: '1e3' })).toThrow('PORT: must be a whole number, got "1e3"');
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(
      'DATABASE_POOL_SIZE: must be between 1 and 200, got 0',
    );
  });

  it('reads DATABASE_POOL_MODE: session by default, transaction behind PgBouncer < 1.21, nothing else', () => {
    expect(loadConfig({}).database.poolMode).toBe('session');
    expect(loadConfig({ DATABASE_POOL_MODE: 'transaction' }).database.poolMode).toBe('transaction');
    expect(() => loadConfig({ DATABASE_POOL_MODE: 'statement' })).toThrow(
      'DATABASE_POOL_MODE: must be one of session, transaction, got "statement"',
    );
  });

  it('sizes the token and identity caches (10000 each, 0 turns one off) and reads DATABASE_LISTEN_URL', () => {
    expect(loadConfig({}).auth.cacheSizes).toEqual({ tokens: 10_000, identities: 10_000 });
    expect(loadConfig({ TOKEN_CACHE_SIZE: '0', IDENTITY_CACHE_SIZE: '500' }).auth.cacheSizes).toEqual({
      tokens: 0,
      identities: 500,
    });
    expect(() => loadConfig({ IDENTITY_CACHE_SIZE: '-1' })).toThrow(/IDENTITY_CACHE_SIZE/);
    expect(() => loadConfig({ TOKEN_CACHE_SIZE: 'lots' })).toThrow(
      'TOKEN_CACHE_SIZE: must be a whole number, got "lots"',
    );
    expect(loadConfig({}).database.listenUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_LISTEN_URL: 'postgres://a@db/x' }).database.listenUrl).toBe('postgres://a@db/x');
  });

  it('accepts the same origins as the web app: the local one outside production, in clerk mode too', () => {
    expect(loadConfig({ CLERK_SECRET_KEY: 'sk_test_placeholder' }).auth.authorizedParties).toEqual([
      'http://localhost:3000',
    ]);
  });
});

describe('configWarnings', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x', ...clerkKeys, ...webhookSecret };

  it('recommends CLERK_JWT_KEY in production when tokens are verified through the JWKS', () => {
    expect(configWarnings(loadConfig(production))).toEqual([
      { event: 'config.clerk_jwt_key_missing', message: expect.stringContaining('Set CLERK_JWT_KEY') },
    ]);
  });

  it('has nothing to say with CLERK_JWT_KEY, or outside production', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\\nMIIB\\n-----END PUBLIC KEY-----';
    expect(configWarnings(loadConfig({ ...production, CLERK_JWT_KEY: pem }))).toEqual([]);
    expect(configWarnings(loadConfig({ ...clerkKeys }))).toEqual([]);
    expect(configWarnings(loadConfig({}))).toEqual([]);
  });
});

describe('metrics listener (METRICS_*)', () => {
  const token = `t-${'x'.repeat(20)}`;

  it('is off unless METRICS_PORT is set, and listens on loopback by default', () => {
    expect(loadConfig({}).metrics).toEqual({ port: undefined, host: '127.0.0.1', token: undefined });
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1', token: undefined });
  });

  it('refuses a non-loopback METRICS_HOST without METRICS_TOKEN', () => {
    expect(() => loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toThrow(
      /METRICS_HOST "0.0.0.0" is reachable from other machines: set METRICS_TOKEN/,
    );
    expect(() => loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' })).toThrow(ConfigError);
    const config = loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: token });
    expect(config.metrics).toEqual({ port: 9464, host: '0.0.0.0', token });
  });

  it('accepts loopback hosts without a token', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: host }).metrics.host).toBe(host);
    }
  });

  it("refuses the API's own port", () => {
    expect(() => loadConfig({ PORT: '4000', METRICS_PORT: '4000' })).toThrow(/METRICS_PORT must differ from PORT/);
    expect(() => loadConfig({ METRICS_PORT: '4000' })).toThrow(ConfigError); // PORT's default
  });

  it('refuses a short token, without repeating it', () => {
    let message = '';
    try {
      loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: 'short-secret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/METRICS_TOKEN.*at least 16 characters/);
    expect(message).not.toContain('short-secret');
  });

  it('refuses a token with whitespace (a scrape could never send it), without repeating it', () => {
    for (const spaced of [`${token} ${token}`, `${token}\n${token}`, `${token}\t1`]) {
      let message = '';
      try {
        loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: spaced });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message).toMatch(/METRICS_TOKEN.*must not contain whitespace/);
      expect(message).not.toContain(token);
    }
    // Whitespace around it is trimmed, as for every variable (a .env line's stray newline, say).
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: `\t${token}\n` }).metrics.token).toBe(token);
  });

  it('refuses a METRICS_PORT that is not a port', () => {
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ METRICS_PORT: 'metrics' })).toThrow(/METRICS_PORT/);
  });
});
