/**
 * PostgreSQL session advisory locks: one app server among several does a job (the daily open-data dump) while the
 * others skip it. A session lock belongs to a connection, so the job runs on the connection that holds it.
 */
import { sql } from 'kysely';
import type { Executor } from './petitions.js';

/**
 * Takes the session advisory lock `hashtext(key)` without waiting (`pg_try_advisory_lock`) on one pooled
 * connection; when taken, runs `work` on that connection and releases the lock afterwards (also when `work` throws).
 * PostgreSQL only (PGlite is one process: callers skip the lock there).
 * @param key the lock's name (e.g. 'cheongwon.daily-dump'), hashed to the lock number by the database
 * @returns true when the lock was taken and `work` ran; false when another session holds it (nothing ran)
 * @throws what `work` throws, and database errors
 */
export async function withSessionLock(
  db: Executor,
  key: string,
  work: (conn: Executor) => Promise<void>,
): Promise<boolean> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(hashtext(${key})) as locked`.execute(conn);
    if (!rows[0]?.locked) return false;
    try {
      await work(conn);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn);
    }
    return true;
  });
}
