import { describe, expect, it } from 'vitest';
import {
  collectionGlobalId,
  collectionNotice,
  collectionPath,
  collectionUuid,
  parseCollectionAction,
  parseCollectionForm,
} from '~/lib/collection-form.server';

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

const UUID = '0b6c3d1e-7a2f-4c3b-9d8e-1f2a3b4c5d6e';
const GLOBAL_ID = Buffer.from(`Collection:${UUID}`).toString('base64');

describe('collection ids in URLs', () => {
  it('turns the raw UUID of a URL into the global id the API wants, and back', () => {
    expect(collectionGlobalId(UUID)).toBe(GLOBAL_ID);
    expect(collectionGlobalId(UUID.toUpperCase())).toBe(GLOBAL_ID);
    expect(collectionUuid(GLOBAL_ID)).toBe(UUID);
    expect(collectionPath(GLOBAL_ID)).toBe(`/app/collections/${UUID}`);
  });

  it('refuses anything that is not a UUID (the page answers 404)', () => {
    for (const id of [undefined, '', 'abc', `${UUID}x`, GLOBAL_ID, '../../admin', `${UUID}:x`]) {
      expect(collectionGlobalId(id)).toBeNull();
    }
  });

  it('does not take another type for a collection', () => {
    const listing = Buffer.from(`Listing:${UUID}`).toString('base64');
    expect(collectionUuid(listing)).toBeNull();
    expect(collectionPath(listing)).toBe(`/app/collections/${encodeURIComponent(listing)}`);
    expect(collectionUuid('not base64 at all')).toBeNull();
  });
});

describe('parseCollectionForm', () => {
  it('sends the name as typed (the API trims and checks it) and a blank description as null', () => {
    expect(parseCollectionForm(form({ name: ' Desk ', description: '  ' }))).toEqual({
      values: { name: ' Desk ', description: '  ' },
      input: { name: ' Desk ', description: null },
    });
    expect(parseCollectionForm(form({ name: '', description: ' For the office ' })).input).toEqual({
      name: '',
      description: 'For the office',
    });
  });
});

describe('parseCollectionAction', () => {
  it('refuses an unknown or missing intent', () => {
    expect(parseCollectionAction(form({ intent: 'drop-table' }))).toMatchObject({
      ok: false,
      errors: { form: expect.any(String) },
    });
    expect(parseCollectionAction(form({}))).toMatchObject({ ok: false });
  });

  it('renames and deletes', () => {
    expect(parseCollectionAction(form({ intent: 'update', name: 'Desk', description: '' }))).toEqual({
      ok: true,
      action: {
        intent: 'update',
        values: { name: 'Desk', description: '' },
        input: { name: 'Desk', description: null },
      },
    });
    expect(parseCollectionAction(form({ intent: 'delete' }))).toEqual({ ok: true, action: { intent: 'delete' } });
  });

  it('shares with an email and a permission, leaving the address rules to the API', () => {
    expect(parseCollectionAction(form({ intent: 'share', email: ' Carol@Example.com ', permission: 'EDIT' }))).toEqual({
      ok: true,
      action: { intent: 'share', email: 'Carol@Example.com', permission: 'EDIT' },
    });
    expect(parseCollectionAction(form({ intent: 'share', email: 'not-an-email', permission: 'VIEW' }))).toMatchObject({
      ok: true,
      action: { email: 'not-an-email' },
    });
    expect(parseCollectionAction(form({ intent: 'change-permission', email: 'a@b.co', permission: 'VIEW' }))).toEqual({
      ok: true,
      action: { intent: 'change-permission', email: 'a@b.co', permission: 'VIEW' },
    });
  });

  it('reports a missing email or an unknown permission beside its field', () => {
    expect(parseCollectionAction(form({ intent: 'share', email: ' ', permission: 'OWNER' }))).toEqual({
      ok: false,
      intent: 'share',
      itemId: null,
      values: { email: ' ', permission: 'OWNER' },
      errors: { email: 'Email is required', permission: 'Choose View or Edit' },
    });
  });

  it('revokes by email', () => {
    expect(parseCollectionAction(form({ intent: 'revoke', email: 'a@b.co' }))).toEqual({
      ok: true,
      action: { intent: 'revoke', email: 'a@b.co' },
    });
    expect(parseCollectionAction(form({ intent: 'revoke' }))).toMatchObject({ ok: false });
  });

  it('adds a listing with an optional note', () => {
    expect(parseCollectionAction(form({ intent: 'add-item', listingId: 'TGlzdGluZzox', note: ' ' }))).toEqual({
      ok: true,
      action: { intent: 'add-item', input: { listingId: 'TGlzdGluZzox', note: null } },
    });
    expect(parseCollectionAction(form({ intent: 'add-item', listingId: 'x', note: ' Ask ' }))).toMatchObject({
      action: { input: { note: 'Ask' } },
    });
    expect(parseCollectionAction(form({ intent: 'add-item', listingId: '', note: 'keep me' }))).toEqual({
      ok: false,
      intent: 'add-item',
      itemId: null,
      values: { listingId: '', note: 'keep me' },
      errors: { listingId: 'Choose a listing' },
    });
  });

  it('removes an item and saves or clears its note', () => {
    expect(parseCollectionAction(form({ intent: 'remove-item', itemId: 'item1' }))).toEqual({
      ok: true,
      action: { intent: 'remove-item', itemId: 'item1' },
    });
    expect(parseCollectionAction(form({ intent: 'update-note', itemId: 'item1', note: ' Check ' }))).toEqual({
      ok: true,
      action: { intent: 'update-note', input: { itemId: 'item1', note: 'Check' } },
    });
    expect(parseCollectionAction(form({ intent: 'update-note', itemId: 'item1', note: '' }))).toMatchObject({
      action: { input: { note: null } },
    });
    expect(parseCollectionAction(form({ intent: 'remove-item' }))).toMatchObject({
      ok: false,
      errors: { form: expect.any(String) },
    });
  });

  it('moves an item up or down from its current position', () => {
    expect(parseCollectionAction(form({ intent: 'move-up', itemId: 'i', position: '2' }))).toEqual({
      ok: true,
      action: { intent: 'move-item', input: { itemId: 'i', position: 1 } },
    });
    expect(parseCollectionAction(form({ intent: 'move-down', itemId: 'i', position: '2' }))).toEqual({
      ok: true,
      action: { intent: 'move-item', input: { itemId: 'i', position: 3 } },
    });
    expect(parseCollectionAction(form({ intent: 'move-up', itemId: 'i', position: '0' }))).toMatchObject({
      ok: false,
      itemId: 'i',
      errors: { form: 'This item is already first.' },
    });
    for (const position of ['', '-1', '1.5', 'x']) {
      expect(parseCollectionAction(form({ intent: 'move-down', itemId: 'i', position }))).toMatchObject({ ok: false });
    }
  });
});

describe('collectionNotice', () => {
  it('says the same after sharing, whoever the address belongs to', () => {
    const notice = collectionNotice('shared', 'x@y.example');
    expect(notice).toBe(
      "Shared with x@y.example. If they don't have an account yet, they'll see it once they sign up with that address.",
    );
  });

  it('echoes only something shaped like an address', () => {
    expect(collectionNotice('revoked', 'Call 555-0100 to restore access')).toBe('Stopped sharing with that address.');
    expect(collectionNotice('permission', null)).toBe('Permission changed for that address.');
  });

  it('knows its notices and nothing else', () => {
    expect(collectionNotice('created', null)).toBe('Collection created.');
    expect(collectionNotice('whatever', null)).toBeNull();
    expect(collectionNotice(null, null)).toBeNull();
  });
});
