import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DEFAULT_TIME_LIMITS, contextValues, runWithDbContext, type DbContext } from './context-scope.js';
import { CONTEXT_SQL, pipelineContext } from './pipelined-context.js';

const USER_ID = '00000000-0000-4000-8000-0000000000aa';
const OTHER_ID = '00000000-0000-4000-8000-0000000000bb';
const scoped: DbContext = { role: 'app_user', userId: USER_ID, userRole: 'USER', limits: DEFAULT_TIME_LIMITS };
const inBand = (userId = USER_ID) => ({ text: CONTEXT_SQL, values: contextValues({ ...scoped, userId }) });
const WHO = {
  text: "SELECT current_user AS role, current_setting('app.current_user_id', true) AS id, current_setting('plan_cache_mode') AS plan",
};

/**
 * What went over the wire, in order: each statement handed to the connection ("simple: …" or
 * "extended: …" for a parsed one, "bind: <name>" for a prepared one bound again) and each
 * ReadyForQuery, the server's "done" ("<ready>"). A round trip is a wait for a <ready>.
 */
interface Wire {
  log: string[];
  /** Just the statements' texts. */
  statements(): string[];
}

/** A pool of one real, pipelined connection, patched as the server's pool is, on a traced wire. */
function tracedPool(): { pool: pg.Pool; wire: Wire } {
  const pool = new pg.Pool({ connectionString: inject('database').url, max: 1, pipeline: true });
  const log: string[] = [];
  pool.on('connect', (client) => {
    const connection = (client as unknown as { connection: Record<string, (...args: unknown[]) => unknown> })
      .connection;
    const { query, parse, bind } = connection;
    const names = new Map<string, string>();
    connection.query = (text: unknown) => (log.push(`simple: ${String(text)}`), query!.call(connection, text));
    connection.parse = (msg: unknown) => {
      const { name, text } = msg as { name?: string; text: string };
      if (name) names.set(name, text);
      log.push(`extended: ${text}`);
      return parse!.call(connection, msg);
    };
    connection.bind = (msg: unknown) => {
      const name = (msg as { statement?: string }).statement;
      // A statement parsed earlier on this connection is only bound: log it once per execution.
      if (name && log.at(-1) !== `extended: ${names.get(name)}`) log.push(`extended: ${names.get(name)}`);
      return bind!.call(connection, msg);
    };
    (connection as unknown as pg.Connection).on('readyForQuery', () => log.push('<ready>'));
  });
  pipelineContext(pool);
  const statements = () => log.filter((entry) => entry !== '<ready>').map((entry) => entry.replace(/^\w+: /, ''));
  return { pool, wire: { log, statements } };
}

let pool: pg.Pool;
let wire: Wire;
let client: pg.PoolClient;

beforeAll(async () => {
  ({ pool, wire } = tracedPool());
  client = await pool.connect();
});
afterAll(async () => {
  client.release();
  await pool.end();
});
beforeEach(() => {
  wire.log.length = 0;
});

/** Runs `fn` with the test's connection back in the pool of one, for the pool's own queries. */
async function withConnectionInPool<T>(fn: () => Promise<T>): Promise<T> {
  client.release();
  try {
    return await fn();
  } finally {
    client = await pool.connect();
  }
}

async function who(runner: pg.Pool | pg.PoolClient) {
  const { rows } = await runner.query<{ role: string; id: string; plan: string }>(WHO);
  return rows[0];
}

describe('a transaction whose first statement is the context (in-band)', () => {
  it('answers BEGIN and the context at once, and sends both with the next statement in one round trip', async () => {
    await client.query({ text: 'BEGIN' });
    const contextResult = await client.query(inBand());
    expect(wire.log).toEqual([]); // nothing sent yet
    expect(contextResult.rowCount).toBe(1);
    expect(await who(client)).toEqual({ role: 'app_user', id: USER_ID, plan: 'force_generic_plan' });
    expect(wire.log).toEqual([
      'simple: BEGIN',
      `extended: ${CONTEXT_SQL}`,
      `simple: ${WHO.text}`,
      '<ready>',
      '<ready>',
      '<ready>',
    ]);
    await client.query({ text: 'COMMIT' });
    // The settings ended with the transaction.
    expect(await who(client)).toEqual({ role: 'authenticator', id: '', plan: 'auto' });
  });

  it('parses the context statement once per connection and binds it after that', async () => {
    await client.query({ text: 'BEGIN' });
    await client.query(inBand());
    await client.query({ text: 'SELECT 1' });
    await client.query({ text: 'ROLLBACK' });
    await client.query({ text: 'BEGIN' });
    await client.query(inBand(OTHER_ID));
    expect((await who(client))?.id).toBe(OTHER_ID);
    await client.query({ text: 'ROLLBACK' });
    // Parse messages carry the text; the second transaction only bound the named statement.
    expect(wire.log.filter((entry) => entry === `extended: ${CONTEXT_SQL}`)).toHaveLength(2);
  });

  it('sends the values as parameters: whatever they contain, they stay values', async () => {
    const tricky = "$2 $& $' x'); SELECT set_config('role', 'app_admin', true); --";
    await client.query({ text: 'BEGIN' });
    await client.query(inBand(tricky));
    const seen = await who(client);
    await client.query({ text: 'ROLLBACK' });
    expect(seen).toEqual({ role: 'app_user', id: tricky, plan: 'force_generic_plan' });
  });

  it('reports a failed context statement as the error of the statement it was sent with', async () => {
    await client.query({ text: 'BEGIN' });
    await client.query({ ...inBand(), values: ["app_admin', true); --", ...inBand().values.slice(1)] });
    await expect(who(client)).rejects.toThrow(/role "app_admin', true\); --" does not exist/);
    await client.query({ text: 'ROLLBACK' });
    expect(await who(client)).toEqual({ role: 'authenticator', id: '', plan: 'auto' });
  });

  it('sends a held BEGIN with the next statement when no context came', async () => {
    await client.query({ text: 'BEGIN' });
    const seen = await who(client);
    await client.query({ text: 'COMMIT' });
    expect(seen?.role).toBe('authenticator');
    expect(wire.statements()).toEqual(['BEGIN', WHO.text, 'COMMIT']);
  });

  it('never sends a transaction that ends before doing anything', async () => {
    await client.query({ text: 'BEGIN' });
    await client.query(inBand());
    await client.query({ text: 'ROLLBACK' });
    await client.query({ text: 'BEGIN' });
    await client.query({ text: 'COMMIT' });
    expect(wire.log).toEqual([]);
  });

  it('forgets a held transaction when the connection goes back to the pool', async () => {
    await client.query({ text: 'BEGIN' });
    await client.query(inBand());
    client.release();
    client = await pool.connect();
    expect(await who(client)).toEqual({ role: 'authenticator', id: '', plan: 'auto' });
    expect(wire.statements()).toEqual([WHO.text]);
  });

  it.each([
    ['a string query', (c: pg.PoolClient) => c.query("SELECT set_config('test.mark', 'in', false)")],
    ['text and values', (c: pg.PoolClient) => c.query('SELECT set_config($1, $2, false)', ['test.mark', 'in'])],
  ])('opens the transaction before %s too, so a ROLLBACK still undoes it', async (_name, run) => {
    await client.query("SELECT set_config('test.mark', 'out', false)");
    wire.log.length = 0;
    await client.query({ text: 'BEGIN' });
    await client.query(inBand());
    await run(client);
    await client.query({ text: 'ROLLBACK' });
    expect(wire.statements().slice(0, 2)).toEqual(['BEGIN', CONTEXT_SQL]);
    expect(wire.statements().at(-1)).toBe('ROLLBACK');
    const { rows } = await client.query<{ mark: string }>("SELECT current_setting('test.mark') AS mark");
    expect(rows).toEqual([{ mark: 'out' }]);
  });

  it('passes queries outside a transaction through untouched', async () => {
    const { rows } = await client.query<{ n: number }>('SELECT $1::int AS n', [7]);
    expect(rows).toEqual([{ n: 7 }]);
    expect(wire.statements()).toEqual(['SELECT $1::int AS n']);
  });
});

describe('a statement sent in a scope (runWithDbContext)', () => {
  it('runs as the context, in a transaction of its own, in one round trip', () =>
    withConnectionInPool(async () => {
      expect(await runWithDbContext(scoped, () => who(pool))).toEqual({
        role: 'app_user',
        id: USER_ID,
        plan: 'force_generic_plan',
      });
      expect(wire.log).toEqual([
        'simple: BEGIN',
        `extended: ${CONTEXT_SQL}`,
        `simple: ${WHO.text}`,
        'simple: COMMIT',
        '<ready>',
        '<ready>',
        '<ready>',
        '<ready>',
      ]);
      // Outside the scope the same pool is the bare authenticator again.
      expect(await who(pool)).toEqual({ role: 'authenticator', id: '', plan: 'auto' });
    }));

  it('reports a refused statement, keeps the connection and leaves nothing open', () =>
    withConnectionInPool(async () => {
      const pid = async () => (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const before = await pid();
      await expect(runWithDbContext(scoped, () => pool.query({ text: 'SELECT 1/0' }))).rejects.toThrow(
        /division by zero/,
      );
      expect(await pid()).toBe(before);
      expect(await who(pool)).toEqual({ role: 'authenticator', id: '', plan: 'auto' });
    }));

  it('reports a failed context statement rather than the aborted transaction it caused', () =>
    withConnectionInPool(async () => {
      const bad = { ...scoped, role: 'no_such_role' } as unknown as DbContext;
      await expect(runWithDbContext(bad, () => who(pool))).rejects.toThrow(/role "no_such_role" does not exist/);
    }));

  it('gives a transaction begun in the scope its context; a context statement in the transaction wins', async () => {
    const seen = await runWithDbContext(scoped, async () => {
      await client.query({ text: 'BEGIN' });
      const first = await who(client);
      await client.query({ text: 'COMMIT' });
      await client.query({ text: 'BEGIN' });
      await client.query(inBand(OTHER_ID));
      const second = await who(client);
      await client.query({ text: 'COMMIT' });
      return [first?.id, second?.id];
    });
    expect(seen).toEqual([USER_ID, OTHER_ID]);
  });

  it('leaves callback and stream forms alone: they run as the bare authenticator', () =>
    withConnectionInPool(async () => {
      const role = await runWithDbContext(
        scoped,
        () =>
          new Promise<string>((resolve, reject) =>
            pool.query('SELECT current_user AS role', (error: Error | undefined, result: pg.QueryResult) =>
              error ? reject(error) : resolve(result.rows[0].role as string),
            ),
          ),
      );
      expect(role).toBe('authenticator');
    }));
});

describe('a connection after its borrower released it', () => {
  it("refuses the old borrower's late statements, which never reach the next borrower's transaction", async () => {
    const late = client;
    late.release();
    client = await pool.connect(); // the same connection (pool of one), the next borrower
    await client.query({ text: 'BEGIN' });
    await client.query(inBand(OTHER_ID));
    wire.log.length = 0;
    await expect(late.query({ text: "SELECT set_config('test.late', 'ran', true)" })).rejects.toThrow(
      /already released/,
    );
    const viaCallback = await new Promise<Error | undefined>((resolve) => {
      late.query('SELECT 1', (error: Error | undefined) => resolve(error));
    });
    expect(viaCallback?.message).toMatch(/already released/);
    expect(wire.log).toEqual([]);
    expect(await who(client)).toEqual({ role: 'app_user', id: OTHER_ID, plan: 'force_generic_plan' });
    await client.query({ text: 'ROLLBACK' });
  });

  it('releases once: a second release by the old borrower cannot release the next borrower', async () => {
    const late = client;
    late.release();
    client = await pool.connect();
    expect(() => late.release()).toThrow(/already been released/);
    expect(await who(client)).toEqual({ role: 'authenticator', id: '', plan: 'auto' });
  });
  it('ends the lease when the callback form releases through done', () =>
    withConnectionInPool(async () => {
      const late = await new Promise<pg.PoolClient>((resolve, reject) =>
        pool.connect((error, leased, done) => {
          if (error || !leased) return reject(error ?? new Error('no client'));
          done();
          resolve(leased);
        }),
      );
      await expect(late.query('SELECT 1')).rejects.toThrow(/already released/);
    }));

  it('never hands out the connection behind the lease, nor lets a borrower replace its methods', async () => {
    const noop = () => {};
    expect(client.on('notice', noop)).toBe(client);
    expect(client.removeListener('notice', noop)).toBe(client);
    expect(() => {
      (client as { query: unknown }).query = () => 'replaced';
    }).toThrow(TypeError);
    expect((await client.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
  });
});

describe('without pipeline mode', () => {
  it('sends the same statements in the same order, one round trip each', async () => {
    const plain = new pg.Pool({ connectionString: inject('database').url, max: 1 });
    pipelineContext(plain);
    try {
      expect(await runWithDbContext(scoped, () => who(plain))).toEqual({
        role: 'app_user',
        id: USER_ID,
        plan: 'force_generic_plan',
      });
      expect(await who(plain)).toEqual({ role: 'authenticator', id: '', plan: 'auto' });
    } finally {
      await plain.end();
    }
  });
});

describe('pool mode transaction (PgBouncer < 1.21, ADR 0069)', () => {
  /** The statement name of every Parse sent ('' for unnamed), on a pool patched for transaction mode. */
  function namesPool(): { pool: pg.Pool; names: string[] } {
    const unnamedPool = new pg.Pool({ connectionString: inject('database').url, max: 1, pipeline: true });
    const names: string[] = [];
    unnamedPool.on('connect', (connected) => {
      const connection = (connected as unknown as { connection: Record<string, (...args: unknown[]) => unknown> })
        .connection;
      const { parse } = connection;
      connection.parse = (msg: unknown) => {
        names.push((msg as { name?: string }).name ?? '');
        return parse!.call(connection, msg);
      };
    });
    pipelineContext(unnamedPool, 'transaction');
    return { pool: unnamedPool, names };
  }

  it('sends every statement unnamed: the context, a scoped one, and one its caller named', async () => {
    const { pool: unnamedPool, names } = namesPool();
    try {
      const connected = await unnamedPool.connect();
      try {
        await connected.query({ text: 'BEGIN' });
        await connected.query(inBand());
        expect((await who(connected))?.id).toBe(USER_ID);
        await connected.query({ text: 'COMMIT' });
        // rate-limiter-flexible names its statements; through a transaction-mode pooler that name is dropped.
        await connected.query({ name: 'caller-named', text: 'SELECT $1::int AS one', values: [1] });
      } finally {
        connected.release();
      }
      const scopedAnswer = await runWithDbContext(scoped, () =>
        unnamedPool.query({ name: 'scoped-named', text: 'SELECT $1::int AS one', values: [1] }),
      );
      expect(scopedAnswer.rows).toEqual([{ one: 1 }]);
      expect(names.length).toBeGreaterThanOrEqual(3);
      expect(new Set(names)).toEqual(new Set(['']));
    } finally {
      await unnamedPool.end();
    }
  });
});
