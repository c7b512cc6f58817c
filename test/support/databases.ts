import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/**
 * The database every database test runs against, chosen by the environment so that the same suite runs on both
 * engines (`.ci/run` runs it twice):
 *  - default: a fresh in-memory PGlite per call;
 *  - TEST_DATABASE_URL=postgres://…: a fresh, uniquely named database created on that server per call and dropped
 *    on close, so test files running in parallel never see each other's rows.
 */
export const TEST_ENGINE = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDatabase extends DatabaseHandle {
  /** postgres:// URL of the fresh database (PostgreSQL runs only), for child processes such as the CLI. */
  url: string | null;
}

export async function freshDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const handle = await openDatabase({ dataDir: 'memory://' });
    await migrateToLatest(handle.db);
    return { ...handle, url: null };
  }
  const name = `cheongwon_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const handle = await openDatabase({ url: dbUrl.toString(), poolSize: 4 });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    url: dbUrl.toString(),
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
