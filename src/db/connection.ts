import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Closes the pool (and the embedded database, flushing it to its directory). */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when null or absent, PGlite is used. */
  url?: string | null;
  /** PGlite data directory (created if missing), or 'memory://' for a throwaway in-memory database. */
  dataDir?: string;
  /** Pool size for PostgreSQL (default 10). PGlite is single-connection by nature. */
  poolSize?: number;
}

/**
 * Opens Cheongwon's database with one Kysely dialect for both engines: PostgreSQL through node-postgres, or the
 * embedded PGlite (PostgreSQL compiled to WASM) through its node-postgres bridge, so every query and migration is
 * the same SQL on both. PGlite loads pg_trgm at start; on PostgreSQL the migration creates the extension.
 *
 * Durability: PGlite writes its directory without fsync — a killed process keeps its rows, a power loss may not.
 * Production durability is PostgreSQL's (see README).
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
