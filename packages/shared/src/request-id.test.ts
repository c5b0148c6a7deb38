import { describe, expect, it } from 'vitest';
import { REQUEST_ID_PATTERN, requestIdOr } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdOr', () => {
  it.each(['abc', 'req-1', 'a.b_c:d-e', 'A'.repeat(64), '0123456789'])(
    'keeps a given id that follows the rule: %s',
    (id) => {
      expect(requestIdOr(id)).toBe(id);
    },
  );

  it.each([
    ['unset', undefined],
    ['null', null],
    ['empty', ''],
    ['too long', 'a'.repeat(65)],
    ['a space', 'a b'],
    ['a line break (log injection)', 'abc\ninjected'],
    ['a slash', 'a/b'],
    ['non-ASCII', 'café'],
  ])('replaces a given id that is %s with a random UUID', (_label, given) => {
    const id = requestIdOr(given);
    expect(id).toMatch(UUID);
    expect(id).toMatch(REQUEST_ID_PATTERN);
  });

  it('makes a new id each time', () => {
    expect(requestIdOr(undefined)).not.toBe(requestIdOr(undefined));
  });
});
