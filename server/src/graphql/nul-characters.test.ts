import { describe, expect, it } from 'vitest';
import { nulPath } from './nul-characters.js';

describe('nulPath', () => {
  it('finds a NUL at any depth and names its path', () => {
    expect(nulPath({ title: 'a\u0000b' }, 'input')).toBe('input.title');
    expect(nulPath({ rules: [{ label: 'ok' }, { label: '\u0000' }] }, 'input')).toBe('input.rules.1.label');
    expect(nulPath(['x', '\u0000'], 'ids')).toBe('ids.1');
  });

  it('passes everything else, other control characters and numbers included', () => {
    expect(nulPath({ title: 'tab\there', n: 0, b: false, none: null, list: [] }, 'input')).toBeUndefined();
    expect(nulPath('\\u0000 written out', 'q')).toBeUndefined();
  });
});
