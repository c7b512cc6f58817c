import type { AppConfig } from '../config/env.js';
import { type DatabaseHandle, openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';

/**
 * Opens the configured database (PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite directory) and
 * brings its schema up to date. Every CLI command starts here.
 */
export async function openMigratedDatabase(
  config: AppConfig,
  log: (line: string) => void,
): Promise<DatabaseHandle> {
  const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrateToLatest(handle.db);
  const where = handle.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite at ${config.dataDir}`;
  log(
    applied.length > 0 ? `${where}: applied migrations ${applied.join(', ')}` : `${where}: schema up to date`,
  );
  return handle;
}
