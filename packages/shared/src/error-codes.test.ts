import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './error-codes.js';

describe('ERROR_CODES', () => {
  it('names every code by its own value, as it travels in extensions.code', () => {
    for (const [name, code] of Object.entries(ERROR_CODES)) expect(code).toBe(name);
  });

  it('holds the codes the API and the web app agree on', () => {
    expect(Object.keys(ERROR_CODES).sort()).toEqual([
      'ACCOUNT_DISABLED',
      'BAD_REQUEST',
      'BAD_USER_INPUT',
      'FORBIDDEN',
      'IDENTITY_PROVIDER_UNAVAILABLE',
      'INTERNAL_SERVER_ERROR',
      'NOT_FOUND',
      'RATE_LIMITED',
      'SERVICE_UNAVAILABLE',
      'SIGNUPS_DISABLED',
      'TIMEOUT',
      'UNAUTHENTICATED',
    ]);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(ERROR_CODES)).toBe(true);
  });
});
