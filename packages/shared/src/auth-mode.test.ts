import { describe, expect, it } from 'vitest';
import { resolveAuthMode } from './auth-mode.js';
import { ConfigError } from './env/config-error.js';

describe('resolveAuthMode', () => {
  it('is local where nothing says otherwise', () => {
    expect(resolveAuthMode({ NODE_ENV: 'development' })).toBe('local');
    expect(resolveAuthMode({ NODE_ENV: 'test' })).toBe('local');
  });

  it.each(['CLERK_SECRET_KEY', 'CLERK_PUBLISHABLE_KEY', 'CLERK_JWT_KEY'])('is clerk as soon as %s is set', (name) => {
    expect(resolveAuthMode({ NODE_ENV: 'development', [name]: 'x' })).toBe('clerk');
  });

  it('is clerk in production', () => {
    expect(resolveAuthMode({ NODE_ENV: 'production' })).toBe('clerk');
  });

  it('follows AUTH_MODE over the keys', () => {
    expect(resolveAuthMode({ NODE_ENV: 'development', AUTH_MODE: 'local', CLERK_SECRET_KEY: 'x' })).toBe('local');
    expect(resolveAuthMode({ NODE_ENV: 'development', AUTH_MODE: 'clerk' })).toBe('clerk');
  });

  it('refuses local mode in production, even when asked for explicitly', () => {
    expect(() => resolveAuthMode({ NODE_ENV: 'production', AUTH_MODE: 'local' })).toThrow(
      new ConfigError('AUTH_MODE=local is refused when NODE_ENV=production'),
    );
    expect(() => resolveAuthMode({ NODE_ENV: 'production', AUTH_MODE: 'local' })).toThrow(ConfigError);
  });
});
