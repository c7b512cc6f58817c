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
