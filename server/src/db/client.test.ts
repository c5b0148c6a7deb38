import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeBasePrisma, createBasePrisma, poolOf, type BasePrisma } from './client.js';
import { literalSql, readAsSync } from './rls.js';

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
    await readAsSync(other, literalSql`SELECT 1`);
    await closeBasePrisma(other);
    expect(poolOf(other).ended).toBe(true);
  });

  it('survives a connection the server drops while idle', async () => {
    const other = createBasePrisma(inject('database').url, 1);
    const [row] = await readAsSync<{ pid: number }>(other, literalSql`SELECT pg_backend_pid() AS pid`);
    const pid = row!.pid;
    const dropped = new Promise((resolve) => poolOf(other).once('error', resolve));
    const killer = createBasePrisma(inject('database').superuserUrl, 1);
    await poolOf(killer).query('SELECT pg_terminate_backend($1)', [pid]);
    await closeBasePrisma(killer);
    // Without the pool's own listener this event would have been an uncaught exception.
    await dropped;
    await expect(readAsSync(other, literalSql`SELECT 1 AS one`)).resolves.toEqual([{ one: 1 }]);
    await closeBasePrisma(other);
  });
});

describe('literalSql', () => {
  it('escapes every interpolated value as one string literal', () => {
    expect(literalSql`WHERE a = ${"x' OR '1'='1"}`.text).toBe("WHERE a = 'x'' OR ''1''=''1'");
    // With a backslash pg switches to an E'' literal and doubles it: safe in either string mode.
    expect(literalSql`WHERE a = ${'a\\b'}`.text).toBe("WHERE a =  E'a\\\\b'");
  });

  it('keeps injection attempts inside the literal, in the database too', async () => {
    for (const value of ["x' OR '1'='1", "x\\' OR 1=1 --", '\\', "'; SELECT 1; --"]) {
      const rows = await readAsSync<{ v: string }>(base, literalSql`SELECT ${value} AS v`);
      expect(rows).toEqual([{ v: value }]);
    }
  });
});

describe('readAsSync', () => {
  it('reads as app_sync, and the role ends with its transaction', async () => {
    await expect(readAsSync(base, literalSql`SELECT current_user AS role`)).resolves.toEqual([{ role: 'app_sync' }]);
    const client = await poolOf(base).connect();
    try {
      const { rows } = await client.query<{ role: string }>('SELECT current_user AS role');
      expect(rows).toEqual([{ role: 'authenticator' }]);
    } finally {
      client.release();
    }
  });

  it('cannot read what app_sync may not read', async () => {
    await expect(readAsSync(base, literalSql`SELECT * FROM listings`)).rejects.toThrow(
      /permission denied for table listings/,
    );
  });

  it('destroys the connection of a failed read instead of reusing it mid-transaction', async () => {
    await expect(readAsSync(base, literalSql`SELECT 1/0`)).rejects.toThrow(/division by zero/);
    // Pool of one: the next read gets a fresh connection, not one stuck in an aborted transaction.
    await expect(readAsSync(base, literalSql`SELECT 1 AS one`)).resolves.toEqual([{ one: 1 }]);
    expect(poolOf(base).totalCount).toBeLessThanOrEqual(1);
  });
});
