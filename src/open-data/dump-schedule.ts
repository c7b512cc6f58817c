import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { localDate } from '../domain/closing-dates.js';
import { withSessionLock } from '../repositories/session-locks.js';
import { type DumpManifest, readLatestManifest } from './dump.js';

/** Advisory lock key taken by the app server that writes the daily dump (PostgreSQL). */
const DUMP_LOCK = 'cheongwon.daily-dump';

export interface DailyDumpOptions {
  db: Kysely<Database>;
  kind: DatabaseKind;
  dir: string;
  /** Zone of the "day" in "once a day" (the deployment profile's, e.g. Asia/Seoul). */
  timeZone: string;
  now: () => Date;
  /** Writes one dump with the given executor (on PostgreSQL: the connection holding the lock). */
  generate: (db: Kysely<Database>) => Promise<DumpManifest>;
  log: (line: string) => void;
  /** How often to check whether today's dump exists (ms; default 10 minutes). */
  checkEveryMs?: number;
}

export interface DailyDumps {
  /** Checks now and writes a dump if today's is missing; resolves when done (the check `serve` runs at start). */
  runOnce(): Promise<void>;
  /** Stops the timer and waits for a dump in progress. */
  stop(): Promise<void>;
}

/**
 * Keeps a dump of the current local day in `dir`: at start when there is none for today, then once a day (checked
 * every `checkEveryMs`). With PostgreSQL and several app servers, only the one holding the session advisory lock
 * `hashtext('cheongwon.daily-dump')` writes; the others skip (and find today's dump at their next check — the
 * directory must be shared storage for every server to serve it). PGlite is one process: no lock.
 * Failures are logged and retried at the next check; they never stop the server.
 */
export function startDailyDumps(options: DailyDumpOptions): DailyDumps {
  let running: Promise<void> | null = null;

  const isCurrent = (manifest: DumpManifest | null) =>
    manifest !== null &&
    localDate(new Date(manifest.generated_at), options.timeZone) ===
      localDate(options.now(), options.timeZone);

  const check = async () => {
    if (isCurrent(await readLatestManifest(options.dir))) return;
    if (options.kind === 'pglite') {
      await write(options.db);
      return;
    }
    // when another app server holds the lock it is writing the dump: skip
    await withSessionLock(options.db, DUMP_LOCK, async (conn) => {
      if (!isCurrent(await readLatestManifest(options.dir))) await write(conn);
    });
  };

  const write = async (db: Kysely<Database>) => {
    const started = performance.now();
    const manifest = await options.generate(db);
    options.log(
      `open data dump: ${manifest.petitions} petitions, ${manifest.bytes} bytes → ${manifest.file} ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  };

  const runOnce = () => {
    running ??= check()
      .catch((error: unknown) =>
        options.log(
          `open data dump failed (retrying later): ${error instanceof Error ? error.message : error}`,
        ),
      )
      .finally(() => {
        running = null;
      });
    return running;
  };

  const timer = setInterval(() => void runOnce(), options.checkEveryMs ?? 10 * 60_000);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
