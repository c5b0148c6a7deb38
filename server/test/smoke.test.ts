import { inject, it, expect } from 'vitest';
import pg from 'pg';

it('connects as authenticator', async () => {
  const client = new pg.Client(inject('database').url);
  await client.connect();
  const r = await client.query('select current_user');
  expect(r.rows[0].current_user).toBe('authenticator');
  await client.end();
});
