import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envOneOf, envPem, envString, envWholeNumber } from './env-values.js';

const issuesOf = (schema: z.ZodType, value: string | undefined) =>
  z
    .object({ X: schema })
    .safeParse({ X: value })
    .error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('envString', () => {
  it('trims, and reads unset and blank as undefined', () => {
    expect(envString.parse(' a b ')).toBe('a b');
    expect(envString.parse(undefined)).toBeUndefined();
    expect(envString.parse('')).toBeUndefined();
    expect(envString.parse(' \t ')).toBeUndefined();
    expect(z.object({ X: envString }).parse({})).toEqual({});
  });
});

describe('envPem', () => {
  it('turns escaped line breaks into real ones', () => {
    expect(envPem.parse('-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----')).toBe(
      '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----',
    );
    expect(envPem.parse('')).toBeUndefined();
  });
});

describe('envOneOf', () => {
  const level = envOneOf(['low', 'high'], 'low');

  it('accepts a listed value, trimmed, and falls back when unset or blank', () => {
    expect(level.parse(' high ')).toBe('high');
    expect(level.parse(undefined)).toBe('low');
    expect(level.parse('')).toBe('low');
    expect(envOneOf(['low', 'high']).parse(undefined)).toBeUndefined();
  });

  it('names the choices and what was given', () => {
    expect(issuesOf(level, 'loud')).toEqual(['X: must be one of low, high, got "loud"']);
    expect(issuesOf(level, 'HIGH')).toEqual(['X: must be one of low, high, got "HIGH"']);
  });
});

describe('envWholeNumber', () => {
  const port = envWholeNumber({ min: 1, max: 65535, fallback: 4000 });

  it('reads digits within bounds and falls back when unset or blank', () => {
    expect(port.parse('8080')).toBe(8080);
    expect(port.parse(' 1 ')).toBe(1);
    expect(port.parse('65535')).toBe(65535);
    expect(port.parse(undefined)).toBe(4000);
    expect(port.parse('')).toBe(4000);
    expect(envWholeNumber({ min: 1, max: 2 }).parse(undefined)).toBeUndefined();
  });

  it.each(['eighty', '-1', '1.5', '1e3', '0x10', '+5', '5 000'])('refuses %s as not a whole number', (raw) => {
    expect(issuesOf(port, raw)).toEqual([`X: must be a whole number, got "${raw.trim()}"`]);
  });

  it('refuses numbers out of bounds, naming the bounds', () => {
    expect(issuesOf(port, '0')).toEqual(['X: must be between 1 and 65535, got 0']);
    expect(issuesOf(port, '65536')).toEqual(['X: must be between 1 and 65535, got 65536']);
  });
});
