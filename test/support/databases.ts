import path from 'node:path';
import { type DatabaseHandle, openDatabase } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createScratchDatabase } from './scratch-database.js';

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
  const scratch = await createScratchDatabase(url, 'cheongwon_test');
  const handle = await openDatabase({ url: scratch.url, poolSize: 4 });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    url: scratch.url,
    close: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}

/**
 * A database shared by the test and a CLI child process (`serve`, `worker`) on the engine under test: a fresh
 * PostgreSQL database, or a PGlite directory under `dir` — which one process holds at a time, so close a handle
 * before starting the child.
 * @param extra variables for the child, merged over `process.env` (DATABASE_URL and CHEONGWON_DATA_DIR are set here)
 * @returns the child's environment, `open()` for the test's own handle, and `close()` (drops the PostgreSQL database)
 */
export async function childProcessDatabase(
  dir: string,
  extra: NodeJS.ProcessEnv,
): Promise<{ env: NodeJS.ProcessEnv; open(): Promise<DatabaseHandle>; close(): Promise<void> }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, CHEONGWON_DATA_DIR: path.join(dir, 'pglite') };
  delete env.TEST_DATABASE_URL;
  delete env.DATABASE_URL;
  const pg = TEST_ENGINE === 'postgres' ? await freshDatabase() : null;
  if (pg) env.DATABASE_URL = pg.url ?? '';
  return {
    env,
    open: () => openDatabase({ url: env.DATABASE_URL ?? null, dataDir: env.CHEONGWON_DATA_DIR as string }),
    close: async () => {
      await pg?.close();
    },
  };
}
