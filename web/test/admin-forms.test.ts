import { describe, expect, it } from 'vitest';
import { AUDIT_EVENTS_PER_PAGE, auditPath, auditRow, parseAuditSearch } from '~/lib/admin-audit.server';
import { parseTenantSettingsForm } from '~/lib/admin-settings.server';
import {
  USERS_PER_PAGE,
  parseUserAction,
  parseUsersSearch,
  userGlobalId,
  userPath,
  userUuid,
  usersPath,
} from '~/lib/admin-users.server';

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

const UUID = '0b6c3d1e-7a2f-4c3b-9d8e-1f2a3b4c5d6e';
const USER_ID = Buffer.from(`User:${UUID}`).toString('base64');

describe('user ids in URLs', () => {
  it('turns a URL UUID into the User global id and back', () => {
    expect(userGlobalId(UUID)).toBe(USER_ID);
    expect(userGlobalId(UUID.toUpperCase())).toBe(USER_ID);
    expect(userUuid(USER_ID)).toBe(UUID);
    expect(userPath(USER_ID)).toBe(`/admin/users/${UUID}`);
  });

  it('refuses anything that is not a UUID, or not a User id', () => {
    for (const id of [undefined, null, '', 'abc', `${UUID}x`, USER_ID, '../settings']) {
      expect(userGlobalId(id)).toBeNull();
    }
    expect(userUuid(Buffer.from(`Listing:${UUID}`).toString('base64'))).toBeNull();
    expect(userPath('not base64 at all')).toBeNull();
  });
});

describe('the users table form', () => {
  it('defaults to every account that is not deleted, newest first', () => {
    const search = parseUsersSearch(new URLSearchParams());
    expect(search.variables).toEqual({
      first: USERS_PER_PAGE,
      search: null,
      filter: { deleted: false },
      orderBy: { field: 'CREATED_AT', direction: 'DESC' },
    });
    expect(search.paged).toBe(false);
    expect(usersPath(search.values)).toBe('/admin');
  });

  it('maps search, role, each status and each order to the query', () => {
    const read = (query: string) => parseUsersSearch(new URLSearchParams(query)).variables;
    expect(read('q=%20Bob%20&role=ADMIN')).toMatchObject({ search: 'Bob', filter: { role: 'ADMIN', deleted: false } });
    expect(read('status=active').filter).toEqual({ active: true, deleted: false });
    expect(read('status=deactivated').filter).toEqual({ active: false, deleted: false });
    expect(read('status=deleted').filter).toEqual({ deleted: true });
    expect(read('status=all').filter).toEqual({});
    expect(read('order=oldest').orderBy).toEqual({ field: 'CREATED_AT', direction: 'ASC' });
    expect(read('order=last-sign-in').orderBy).toEqual({ field: 'LAST_SIGN_IN_AT', direction: 'DESC' });
  });

  it('reads unknown choices as the defaults and cuts a long search to the limit', () => {
    const search = parseUsersSearch(new URLSearchParams(`role=ROOT&status=gone&order=random&q=${'x'.repeat(300)}`));
    expect(search.values).toEqual({ q: 'x'.repeat(100), role: '', status: '', order: '' });
    expect(search.variables.filter).toEqual({ deleted: false });
  });

  it('pages forward and back, keeping the filters in the links', () => {
    expect(parseUsersSearch(new URLSearchParams('after=abc')).variables).toMatchObject({
      first: USERS_PER_PAGE,
      after: 'abc',
    });
    const back = parseUsersSearch(new URLSearchParams('before=xyz&q=bob'));
    expect(back.variables).toMatchObject({ last: USERS_PER_PAGE, before: 'xyz' });
    expect(back.paged).toBe(true);
    expect(usersPath(back.values, { after: 'c 1' })).toBe('/admin?q=bob&after=c+1');
  });
});

describe('the role and status actions', () => {
  it('needs a known intent and a reason of at most 500 characters', () => {
    expect(parseUserAction(form({ intent: 'deactivate', reason: '  spam  ' }))).toEqual({
      ok: true,
      intent: 'deactivate',
      reason: 'spam',
    });
    expect(parseUserAction(form({ intent: 'make-admin', reason: '   ' }))).toMatchObject({
      ok: false,
      intent: 'make-admin',
      errors: { reason: expect.stringContaining('reason') },
    });
    expect(parseUserAction(form({ intent: 'reactivate', reason: 'x'.repeat(501) }))).toMatchObject({
      ok: false,
      errors: { reason: expect.stringContaining('500') },
    });
    expect(parseUserAction(form({ intent: 'delete-everything', reason: 'why not' }))).toMatchObject({
      ok: false,
      intent: null,
      errors: { form: expect.any(String) },
    });
    expect(parseUserAction(form({ intent: 'toString', reason: 'x' })).ok).toBe(false);
  });
});

describe('the tenant settings form', () => {
  const loaded = {
    'was.signupsEnabled': 'true',
    'was.collectionSharingEnabled': 'true',
    'was.maintenanceBanner': '',
    'was.maxApiKeysPerUser': '10',
  };

  it('sends only what changed: an unchecked box is false, an empty banner clears it', () => {
    expect(
      parseTenantSettingsForm(
        form({
          ...loaded,
          collectionSharingEnabled: 'on',
          maintenanceBanner: '',
          maxApiKeysPerUser: ' 12 ',
          reason: ' ',
        }),
      ),
    ).toEqual({
      ok: true,
      values: expect.any(Object),
      input: { signupsEnabled: false, maxApiKeysPerUser: 12, reason: null },
    });
    expect(
      parseTenantSettingsForm(
        form({
          ...loaded,
          'was.maintenanceBanner': 'Down\nat 6',
          signupsEnabled: 'on',
          collectionSharingEnabled: 'on',
          maintenanceBanner: '',
          maxApiKeysPerUser: '10',
          reason: 'Done',
        }),
      ),
    ).toMatchObject({ ok: true, input: { maintenanceBanner: '', reason: 'Done' } });
  });

  it('sends nothing when nothing changed (CRLF line breaks read as the newlines they were)', () => {
    const parsed = parseTenantSettingsForm(
      form({
        ...loaded,
        'was.maintenanceBanner': 'Down\r\nat 6',
        signupsEnabled: 'on',
        collectionSharingEnabled: 'on',
        maintenanceBanner: 'Down\nat 6',
        maxApiKeysPerUser: '010',
      }),
    );
    expect(parsed).toMatchObject({ ok: true, input: null });
  });

  it('sends every setting when the form carries no loaded values (a crafted post)', () => {
    expect(parseTenantSettingsForm(form({ maintenanceBanner: 'Hi', maxApiKeysPerUser: '3' }))).toMatchObject({
      ok: true,
      input: { signupsEnabled: false, collectionSharingEnabled: false, maintenanceBanner: 'Hi', maxApiKeysPerUser: 3 },
    });
  });

  it('refuses a key limit that is not a whole number, keeping what was typed', () => {
    for (const value of ['', 'ten', '1.5', '-3', '1e3']) {
      const parsed = parseTenantSettingsForm(form({ maxApiKeysPerUser: value, maintenanceBanner: 'Keep me' }));
      expect(parsed).toMatchObject({ ok: false, errors: { maxApiKeysPerUser: expect.any(String) } });
      expect(parsed.values.maintenanceBanner).toBe('Keep me');
    }
  });
});

describe('the audit log filters', () => {
  it('maps type, users and days (the end day included) to the filter', () => {
    const search = parseAuditSearch(
      new URLSearchParams(`type=api_key.&actor=${UUID.toUpperCase()}&subject=${UUID}&from=2026-12-01&to=2026-12-07`),
    );
    expect(search.errors).toEqual({});
    expect(search.variables).toEqual({
      first: AUDIT_EVENTS_PER_PAGE,
      after: null,
      filter: {
        type: 'api_key.',
        actorId: USER_ID,
        subjectId: USER_ID,
        from: '2026-12-01T00:00:00.000Z',
        to: '2026-12-08T00:00:00.000Z',
      },
    });
    expect(parseAuditSearch(new URLSearchParams('type=user.role_changed')).variables.filter).toEqual({
      type: 'user.role_changed',
    });
  });

  it('leaves out what does not parse and says why, instead of failing the page', () => {
    const search = parseAuditSearch(new URLSearchParams('type=nope&actor=bob&from=2026-02-30&to=yesterday&after=c1'));
    expect(search.variables).toEqual({ first: AUDIT_EVENTS_PER_PAGE, after: 'c1', filter: {} });
    expect(Object.keys(search.errors).sort()).toEqual(['actor', 'from', 'to', 'type']);
    const reversed = parseAuditSearch(new URLSearchParams('from=2026-12-07&to=2026-12-01'));
    expect(reversed.variables.filter).toEqual({ from: '2026-12-07T00:00:00.000Z' });
    expect(reversed.errors.to).toBeDefined();
  });

  it('builds links that keep the filter', () => {
    expect(auditPath({})).toBe('/admin/audit');
    expect(auditPath({ subject: UUID, type: '' }, 'next')).toBe(`/admin/audit?subject=${UUID}&after=next`);
  });

  it('turns an event into a row: label, people as links, missing people as none', () => {
    const row = auditRow({
      id: 'e1',
      type: 'user.deactivated',
      actor: { id: USER_ID, email: 'admin@example.com', firstName: 'Ada', lastName: 'Min' },
      subject: null,
      ip: '127.0.0.1',
      userAgent: null,
      count: 1,
      reason: 'spam',
      createdAt: '2026-12-07T10:00:00.000Z',
    } as Parameters<typeof auditRow>[0]);
    expect(row).toMatchObject({
      label: 'Account deactivated',
      actor: { label: 'Ada Min', path: `/admin/users/${UUID}` },
      subject: null,
      when: '7 Dec 2026, 10:00 UTC',
      reason: 'spam',
    });
  });
});
