import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { envOneOf, envWholeNumber } from './env-values.js';
import { parseEnv } from './parse-env.js';

const schema = z.object({
  PORT: envWholeNumber({ min: 0, max: 65535, fallback: 4000 }),
  LOG_LEVEL: envOneOf(['info', 'debug'], 'info'),
});

describe('parseEnv', () => {
  it('returns the parsed values', () => {
    expect(parseEnv(schema, { PORT: '80', UNRELATED: 'x' })).toEqual({ PORT: 80, LOG_LEVEL: 'info' });
  });

  it('names every invalid variable in one ConfigError', () => {
    const parse = () => parseEnv(schema, { PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      'Invalid environment: PORT: must be a whole number, got "eighty"; LOG_LEVEL: must be one of info, debug, got "loud"',
    );
  });

  it('is a ConfigError by name too, as the apps print it', () => {
    expect(new ConfigError('x').name).toBe('ConfigError');
  });
});
