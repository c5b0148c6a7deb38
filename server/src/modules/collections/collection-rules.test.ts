import { describe, expect, it } from 'vitest';
import {
  displayName,
  mayAddListing,
  mayEditItems,
  mayManage,
  moveInOrder,
  positionChanges,
  viewerPermissionOf,
} from './collection-rules.js';

describe('viewerPermissionOf', () => {
  it('is OWNER for the owner, whatever a share says', () => {
    expect(viewerPermissionOf('u1', 'u1', undefined)).toBe('OWNER');
    expect(viewerPermissionOf('u1', 'u1', 'VIEW')).toBe('OWNER');
  });

  it("is the share's permission for a grantee", () => {
    expect(viewerPermissionOf('u2', 'u1', 'EDIT')).toBe('EDIT');
    expect(viewerPermissionOf('u2', 'u1', 'VIEW')).toBe('VIEW');
  });

  it('is VIEW for a reader without a share (an admin)', () => {
    expect(viewerPermissionOf('admin', 'u1', null)).toBe('VIEW');
    expect(viewerPermissionOf('admin', 'u1', undefined)).toBe('VIEW');
  });
});

describe('what each permission allows', () => {
  it.each([
    ['OWNER', true, true],
    ['EDIT', true, false],
    ['VIEW', false, false],
  ] as const)('%s: edit items %s, manage %s', (permission, editItems, manage) => {
    expect(mayEditItems(permission)).toBe(editItems);
    expect(mayManage(permission)).toBe(manage);
  });
});

describe('mayAddListing', () => {
  it("allows the collection owner's listings and the viewer's own", () => {
    expect(mayAddListing('owner', 'owner', 'grantee')).toBe(true);
    expect(mayAddListing('grantee', 'owner', 'grantee')).toBe(true);
  });

  it("refuses anyone else's listing, even one the viewer can read (it would be re-shared)", () => {
    expect(mayAddListing('third', 'owner', 'grantee')).toBe(false);
  });
});

describe('moveInOrder', () => {
  const order = ['a', 'b', 'c', 'd'];

  it.each([
    ['a', 0, ['a', 'b', 'c', 'd']],
    ['a', 2, ['b', 'c', 'a', 'd']],
    ['a', 3, ['b', 'c', 'd', 'a']],
    ['d', 0, ['d', 'a', 'b', 'c']],
    ['c', 1, ['a', 'c', 'b', 'd']],
    ['b', 1, ['a', 'b', 'c', 'd']],
  ])('moves %s to %i', (id, target, expected) => {
    expect(moveInOrder(order, id, target)).toEqual(expected);
  });

  it('does not change its input', () => {
    moveInOrder(order, 'a', 3);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it.each([-1, 4, 1.5, Number.NaN])('refuses the position %s', (target) => {
    expect(() => moveInOrder(order, 'a', target)).toThrow(RangeError);
  });

  it('refuses an item that is not in the order', () => {
    expect(() => moveInOrder(order, 'z', 0)).toThrow(RangeError);
  });
});

describe('positionChanges', () => {
  const current = [
    { id: 'a', position: 0 },
    { id: 'b', position: 1 },
    { id: 'c', position: 2 },
  ];

  it('writes only what changes', () => {
    expect(positionChanges(current, ['a', 'c', 'b'])).toEqual([
      { id: 'c', position: 1 },
      { id: 'b', position: 2 },
    ]);
    expect(positionChanges(current, ['a', 'b', 'c'])).toEqual([]);
  });

  it('closes gaps and repairs duplicates', () => {
    const gappy = [
      { id: 'a', position: 0 },
      { id: 'b', position: 5 },
      { id: 'c', position: 5 },
    ];
    expect(positionChanges(gappy, ['a', 'b', 'c'])).toEqual([
      { id: 'b', position: 1 },
      { id: 'c', position: 2 },
    ]);
  });

  it('refuses an order that does not hold exactly the current items', () => {
    expect(() => positionChanges(current, ['a', 'b'])).toThrow(RangeError);
    expect(() => positionChanges(current, ['a', 'b', 'z'])).toThrow(RangeError);
  });
});

describe('displayName', () => {
  it.each([
    [{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' }, 'Ada Lovelace'],
    [{ firstName: 'Ada', lastName: null, email: 'ada@example.com' }, 'Ada'],
    [{ firstName: null, lastName: 'Lovelace', email: null }, 'Lovelace'],
    [{ firstName: '  ', lastName: '', email: 'ada@example.com' }, 'ada@example.com'],
    [{ firstName: null, lastName: null, email: null }, null],
  ])('%o → %s', (person, expected) => {
    expect(displayName(person)).toBe(expected);
  });
});
