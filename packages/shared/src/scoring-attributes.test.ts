import { describe, expect, it } from 'vitest';
import { SCORING_ATTRIBUTE_LABELS, SCORING_ATTRIBUTES } from './scoring-attributes.js';

describe('scoring attributes', () => {
  it('keep the order the score adds them up in', () => {
    expect(SCORING_ATTRIBUTES).toEqual(['price', 'cpu', 'gpu', 'ram', 'storage', 'condition']);
  });

  it('have a label each, and only those', () => {
    expect(Object.keys(SCORING_ATTRIBUTE_LABELS)).toEqual([...SCORING_ATTRIBUTES]);
    expect(SCORING_ATTRIBUTE_LABELS.gpu).toBe('GPU');
  });
});
