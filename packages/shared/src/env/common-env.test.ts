import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commonEnvShape } from './common-env.js';
import { parseEnv } from './parse-env.js';

const schema = z.object(commonEnvShape);

describe('commonEnvShape', () => {
  it('defaults to development, info, no mode requested, no Clerk keys and no origins', () => {
    expect(parseEnv(schema, {})).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      AUTH_MODE: undefined,
      CLERK_AUTHORIZED_PARTIES: [],
      CLERK_SECRET_KEY: undefined,
      CLERK_PUBLISHABLE_KEY: undefined,
      CLERK_JWT_KEY: undefined,
    });
  });

  it('reads every variable, a PEM with escaped newlines included', () => {
    expect(
      parseEnv(schema, {
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        AUTH_MODE: 'clerk',
        CLERK_AUTHORIZED_PARTIES: 'https://app.example.com',
        CLERK_SECRET_KEY: 'sk_test_x',
        CLERK_PUBLISHABLE_KEY: 'pk_test_x',
        CLERK_JWT_KEY: 'a\\nb',
      }),
    ).toEqual({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      AUTH_MODE: 'clerk',
      CLERK_AUTHORIZED_PARTIES: ['https://app.example.com'],
      CLERK_SECRET_KEY: 'sk_test_x',
      CLERK_PUBLISHABLE_KEY: 'pk_test_x',
      CLERK_JWT_KEY: 'a\nb',
    });
  });

  it.each([
    [{ NODE_ENV: 'staging' }, 'NODE_ENV: must be one of development, test, production, got "staging"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [{ AUTH_MODE: 'magic' }, 'AUTH_MODE: must be one of clerk, local, got "magic"'],
    [{ CLERK_AUTHORIZED_PARTIES: 'nope' }, 'CLERK_AUTHORIZED_PARTIES: "nope" is not a URL'],
  ])('refuses %o', (env, message) => {
    expect(() => parseEnv(schema, env)).toThrow(`Invalid environment: ${message}`);
  });
});
