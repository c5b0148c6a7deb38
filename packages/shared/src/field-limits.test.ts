import { describe, expect, it } from 'vitest';
import * as limits from './field-limits.js';

describe('field limits', () => {
  it('are positive whole numbers that nothing can change at run time', () => {
    for (const group of Object.values(limits)) {
      expect(Object.isFrozen(group)).toBe(true);
      for (const value of Object.values(group)) expect(Number.isInteger(value) && value > 0).toBe(true);
    }
  });
});
