import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CONTEXT_SQL, mergeBeginWithContext } from './begin-with-context.js';

const USER_ID = '00000000-0000-4000-8000-0000000000aa';
const context = { text: CONTEXT_SQL, values: ['app_user', USER_ID, 'USER'] };

/** A real connection, patched, that also records what actually went over the wire. */
async function patchedClient(): Promise<{ client: pg.PoolClient; sent: string[]; pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: inject('database').url, max: 1 });
  const sent: string[] = [];
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
      sent.push(typeof config === 'string' ? config : String((config as { text: string }).text));
      return original(config, ...rest);
    };
  });
  mergeBeginWithContext(pool);
  return { client: await pool.connect(), sent, pool };
}

let client: pg.PoolClient;
let sent: string[];
let pool: pg.Pool;

beforeAll(async () => {
  ({ client, sent, pool } = await patchedClient());
});
afterAll(async () => {
  client.release();
  await pool.end();
});

describe('mergeBeginWithContext', () => {
  it('sends BEGIN and the context statement as one message, and the transaction works as before', async () => {
    sent.length = 0;
    await client.query({ text: 'BEGIN' });
    const contextResult = await client.query(context);
    const { rows } = await client.query<{ role: string; id: string; plan: string }>({
      text: "SELECT current_user AS role, current_setting('app.current_user_id') AS id, current_setting('plan_cache_mode') AS plan",
    });
    await client.query({ text: 'COMMIT' });
    expect(contextResult.rowCount).toBe(1);
    expect(rows).toEqual([{ role: 'app_user', id: USER_ID, plan: 'force_generic_plan' }]);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toBe(
      `BEGIN; SELECT set_config('role', 'app_user', true), set_config('app.current_user_id', '${USER_ID}', true), ` +
        "set_config('app.current_user_role', 'USER', true), set_config('plan_cache_mode', 'force_generic_plan', true)",
    );
    // The settings ended with the transaction.
    const after = await client.query<{ role: string }>('SELECT current_user AS role');
    expect(after.rows).toEqual([{ role: 'authenticator' }]);
  });

  it('escapes the inlined values', async () => {
    await client.query({ text: 'BEGIN' });
    await expect(
      client.query({ ...context, values: ["app_user', true); DROP TABLE users; --", USER_ID, 'USER'] }),
    ).rejects.toThrow(/role "app_user', true\); DROP TABLE users; --" does not exist/);
    await client.query({ text: 'ROLLBACK' });
  });

  it('inlines each value once, whatever it contains', async () => {
    const tricky = "$2 $& $' x";
    sent.length = 0;
    await client.query({ text: 'BEGIN' });
    await client.query({ ...context, values: ['app_user', tricky, 'USER'] });
    const { rows } = await client.query<{ id: string }>({
      text: "SELECT current_setting('app.current_user_id') AS id",
    });
    await client.query({ text: 'ROLLBACK' });
    expect(rows).toEqual([{ id: tricky }]);
    expect(sent[0]).toContain("set_config('app.current_user_id', '$2 $& $'' x', true)");
  });

  it('sends a held BEGIN first when something else follows it', async () => {
    sent.length = 0;
    await client.query({ text: 'BEGIN' });
    const { rows } = await client.query<{ n: number }>({ text: 'SELECT 1 AS n' });
    await client.query({ text: 'COMMIT' });
    expect(rows).toEqual([{ n: 1 }]);
    expect(sent).toEqual(['BEGIN', 'SELECT 1 AS n', 'COMMIT']);
  });

  it('never sends a transaction that ends before doing anything', async () => {
    sent.length = 0;
    await client.query({ text: 'BEGIN' });
    await client.query({ text: 'ROLLBACK' });
    expect(sent).toEqual([]);
  });

  it('forgets a held BEGIN when the connection goes back to the pool', async () => {
    await client.query({ text: 'BEGIN' });
    client.release();
    client = await pool.connect();
    sent.length = 0;
    await client.query({ text: 'SELECT 1' });
    expect(sent).toEqual(['SELECT 1']);
    // Not inside a transaction begun earlier: its own statement started it.
    const { rows } = await client.query<{ fresh: boolean }>({ text: 'SELECT now() = statement_timestamp() AS fresh' });
    expect(rows).toEqual([{ fresh: true }]);
  });

  it.each([
    ['a string query', (c: pg.PoolClient) => c.query("SELECT set_config('test.mark', 'in', false)")],
    ['text and values', (c: pg.PoolClient) => c.query('SELECT set_config($1, $2, false)', ['test.mark', 'in'])],
  ])('sends a held BEGIN before %s, so a ROLLBACK still undoes it', async (_name, run) => {
    await client.query("SELECT set_config('test.mark', 'out', false)");
    sent.length = 0;
    await client.query({ text: 'BEGIN' });
    await run(client);
    await client.query({ text: 'ROLLBACK' });
    expect(sent[0]).toBe('BEGIN');
    expect(sent.at(-1)).toBe('ROLLBACK');
    const { rows } = await client.query<{ mark: string }>("SELECT current_setting('test.mark') AS mark");
    expect(rows).toEqual([{ mark: 'out' }]);
  });

  it('keeps the row shape Prisma asks for on the merged message', async () => {
    await client.query({ text: 'BEGIN' });
    const result = await client.query({ ...context, rowMode: 'array' });
    await client.query({ text: 'ROLLBACK' });
    expect(Array.isArray(result.rows[0])).toBe(true);
  });

  it('passes other forms of query through untouched', async () => {
    sent.length = 0;
    const { rows } = await client.query<{ n: number }>('SELECT $1::int AS n', [7]);
    expect(rows).toEqual([{ n: 7 }]);
    expect(sent).toEqual(['SELECT $1::int AS n']);
  });
});
