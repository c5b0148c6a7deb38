// The admin actions' mutations: a rule of the API that refuses the change (FORBIDDEN with a reason: the
// last admin, a self-demotion) comes back as the form's message when asked for; any other FORBIDDEN is
// still the 403 page.
import { describe, expect, it } from 'vitest';
import { WEB_ORIGIN } from './support/fake-api';
import { fakeSession, useFakeApi } from './support/use-fake-api';

const api = useFakeApi();

async function client() {
  const { createApi } = await import('~/graphql/client.server');
  const { SetUserRoleMutation } = await import('~/graphql/admin.server');
  const request = new Request(`${WEB_ORIGIN}/admin/users/x`, { headers: { 'x-request-id': 'req-1' } });
  return { api: createApi(fakeSession(), request), SetUserRoleMutation };
}

const input = { userId: 'VXNlcjox', role: 'USER' as const, reason: 'Because' };

function forbidden(extensions: Record<string, unknown>) {
  return [{ body: { data: null, errors: [{ message: 'You cannot remove your own admin role.', extensions }] } }];
}

describe('mutate with rulesAsFormErrors', () => {
  it("returns a refusal with a reason as the form's message", async () => {
    api().graphql = forbidden({ code: 'FORBIDDEN', reason: 'self-demotion' });
    const { api: client_, SetUserRoleMutation } = await client();
    const result = await client_.mutate(SetUserRoleMutation, { input }, { rulesAsFormErrors: true });
    expect(result).toMatchObject({ ok: false, formError: 'You cannot remove your own admin role.', fieldErrors: {} });
  });

  it('still throws the 403 page for a FORBIDDEN without a reason (not an admin), or when not asked', async () => {
    api().graphql = forbidden({ code: 'FORBIDDEN' });
    const { api: client_, SetUserRoleMutation } = await client();
    const notAdmin = await client_.mutate(SetUserRoleMutation, { input }, { rulesAsFormErrors: true }).catch((e) => e);
    expect(notAdmin).toBeInstanceOf(Response);
    expect((notAdmin as Response).status).toBe(403);

    api().graphql = forbidden({ code: 'FORBIDDEN', reason: 'last-admin' });
    const plain = await client_.mutate(SetUserRoleMutation, { input }).catch((e) => e);
    expect((plain as Response).status).toBe(403);
  });
});
