import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshDatabase, TEST_ENGINE } from './support/databases.js';

describe(`the database connection (${TEST_ENGINE})`, () => {
  it.runIf(TEST_ENGINE === 'postgres')(
    'survives the server ending an idle connection (a restart, a failover), and reconnects',
    async () => {
      const h = await freshDatabase();
      const errors: unknown[] = [];
      const onUncaught = (error: unknown) => errors.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(h.db);
        const pid = rows[0]?.pid;
        // the connection is idle in the pool now; another session ends it, as an administrator would
        const other = await plainSession(h.url as string);
        await other.query('select pg_terminate_backend($1)', [pid]);
        await other.end();
        await new Promise((r) => setTimeout(r, 200)); // the FATAL reaches the idle client
        const again = await sql<{ one: number }>`select 1 as one`.execute(h.db);
        expect(again.rows[0]?.one).toBe(1);
        expect(errors).toEqual([]);
      } finally {
        process.off('uncaughtException', onUncaught);
        await h.close();
      }
    },
  );
});

/** A plain session on the same database, outside the pool under test. */
async function plainSession(url: string) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}
