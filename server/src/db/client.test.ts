import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeBasePrisma, createBasePrisma, poolOf, type BasePrisma } from './client.js';
import { readAsAuth } from './rls.js';

let base: BasePrisma;
beforeAll(() => {
  base = createBasePrisma(inject('database').url, 1);
});
afterAll(() => closeBasePrisma(base));

describe('poolOf', () => {
  it('gives the pool under a client from createBasePrisma', () => {
    expect(poolOf(base).options.max).toBe(1);
  });

  it('refuses any other client', () => {
    expect(() => poolOf({} as BasePrisma)).toThrow(/not a client from createBasePrisma/);
  });
});

describe('closeBasePrisma', () => {
  it('ends the pool even when only raw reads used it', async () => {
    const other = createBasePrisma(inject('database').url, 1);
    await readAsAuth(other, { text: 'SELECT 1', values: [] });
    await closeBasePrisma(other);
    expect(poolOf(other).ended).toBe(true);
  });

  it('survives a connection the server drops while idle', async () => {
    const other = createBasePrisma(inject('database').url, 1);
    const [row] = await readAsAuth<{ pid: number }>(other, { text: 'SELECT pg_backend_pid() AS pid', values: [] });
    const pid = row!.pid;
    const dropped = new Promise((resolve) => poolOf(other).once('error', resolve));
    const killer = createBasePrisma(inject('database').superuserUrl, 1);
    await poolOf(killer).query('SELECT pg_terminate_backend($1)', [pid]);
    await closeBasePrisma(killer);
    // Without the pool's own listener this event would have been an uncaught exception.
    await dropped;
    await expect(readAsAuth(other, { text: 'SELECT 1 AS one', values: [] })).resolves.toEqual([{ one: 1 }]);
    await closeBasePrisma(other);
  });
});

describe('readAsAuth', () => {
  const sql = (text: string, ...values: unknown[]) => ({ text, values });

  it('reads as app_auth, and the role ends with its transaction', async () => {
    await expect(readAsAuth(base, sql('SELECT current_user AS role'))).resolves.toEqual([{ role: 'app_auth' }]);
    const client = await poolOf(base).connect();
    try {
      const { rows } = await client.query<{ role: string }>('SELECT current_user AS role');
      expect(rows).toEqual([{ role: 'authenticator' }]);
    } finally {
      client.release();
    }
  });

  it('passes values as parameters, never as SQL text', async () => {
    for (const value of ["x' OR '1'='1", "x\\' OR 1=1 --", '\\', "'; SELECT 1; --", '$1']) {
      await expect(readAsAuth(base, sql('SELECT $1::text AS v', value))).resolves.toEqual([{ v: value }]);
    }
  });

  it('cannot read what app_auth may not read', async () => {
    await expect(readAsAuth(base, sql('SELECT * FROM listings'))).rejects.toThrow(
      /permission denied for table listings/,
    );
  });

  it('keeps the connection after a refused read: its transaction is over, nothing is left open', async () => {
    const [before] = await readAsAuth<{ pid: number }>(base, sql('SELECT pg_backend_pid() AS pid'));
    await expect(readAsAuth(base, sql('SELECT 1/0'))).rejects.toThrow(/division by zero/);
    // Pool of one: the same connection, idle and back to the bare authenticator.
    const client = await poolOf(base).connect();
    try {
      const { rows } = await client.query<{ pid: number; role: string; fresh: boolean }>(
        'SELECT pg_backend_pid() AS pid, current_user AS role, now() = statement_timestamp() AS fresh',
      );
      expect(rows).toEqual([{ pid: before!.pid, role: 'authenticator', fresh: true }]);
    } finally {
      client.release();
    }
  });
});
