import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
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
    // An idle connection the server ends (a restart, a failover, an administrator, DROP DATABASE … FORCE) is reported
    // as the pool's 'error' event, which would crash the process unheard: the pool drops that connection and opens
    // another when needed, so it is logged, not fatal.
    pool.on('error', (error: Error & { code?: string }) => {
      console.error(
        `database: an idle connection was closed by the server (${error.code ?? 'no code'}): ${error.message}`,
      );
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dataDir = options.dataDir ?? 'memory://';
  let release = () => {};
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  } catch (error) {
    release();
    throw error;
  }
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      await pglite.close();
      release();
    },
  };
}

/**
 * PGlite is one process's database: a second process opening the same directory (a CLI import while the server
 * runs) would lose or corrupt rows. The first process to open it holds `<dir>.lock` (its pid); others are refused.
 * A lock left by a process that no longer runs is taken over.
 * @returns a function releasing the lock (also run at process exit)
 * @throws Error naming the directory and the pid that holds it
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        process.removeListener('exit', release);
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        throw new Error(
          `The embedded database at ${dataDir} is in use by another Cheongwon process (pid ${pid}). ` +
            'Stop it first (the server holds it while it runs), or use PostgreSQL (DATABASE_URL) for several processes.',
        );
      }
      unlinkSync(lockPath); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock the embedded database at ${dataDir} (${lockPath}).`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
