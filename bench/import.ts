/**
 * Import and search speed on the real 2020 Blue House file (8,859 petitions, 30 MB), on PGlite and — when it
 * answers — PostgreSQL, each on a fresh database, in one run so the two are compared on the same machine state.
 * Each engine runs the import twice on fresh databases, side by side: the old path (`bulk: false`: search indexes
 * maintained row by row) and the bulk path (indexes deferred and built once before the import returns); the
 * searches run after the bulk import, so they prove its indexes complete.
 *
 * Usage: npm run bench:import [-- FILE]   (default ../shared/data/cwd/cwd_2020_korkeep.jsonl)
 * Environment: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test; a scratch database is created
 * on that server and dropped afterwards).
 */
import os from 'node:os';
import { sql } from 'kysely';
import { importArchiveFile } from '../src/commands/import-archive.js';
import { type DatabaseHandle, openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { listPetitions } from '../src/repositories/petitions.js';
import { createScratchDatabase, type ScratchDatabase } from '../test/support/scratch-database.js';

const file = process.argv[2] ?? '../shared/data/cwd/cwd_2020_korkeep.jsonl';
const pgUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SEARCHES = ['n번방', 'N번방', '텔레그램', '포토라인 세워주세요', '코로나'];

/** A fresh database on the benchmark's PostgreSQL server, or null when none answers. */
async function scratchPostgres(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> } | null> {
  let scratch: ScratchDatabase;
  try {
    scratch = await createScratchDatabase(pgUrl, 'cheongwon_bench');
  } catch {
    return null;
  }
  const handle = await openDatabase({ url: scratch.url });
  return {
    handle,
    drop: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}

async function measure(label: string, handle: DatabaseHandle, bulk: boolean): Promise<void> {
  await migrateToLatest(handle.db);
  const started = performance.now();
  let lastLine = 0;
  const summary = await importArchiveFile(handle.db, file, {
    now: new Date(),
    bulk,
    onProgress: (line) => {
      if (line - lastLine >= 2000) {
        process.stderr.write(`  ${label}: line ${line}\n`);
        lastLine = line;
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const gin = await sql<{ n: string }>`select count(*) n from pg_indexes
    where tablename = 'petitions' and indexdef like '% USING gin %'`.execute(handle.db);
  console.log(
    `${label}: imported ${summary.inserted} petitions in ${seconds.toFixed(1)} s = ${Math.round(summary.inserted / seconds)} petitions/s ` +
      `(bulk: ${summary.bulk}; GIN indexes on return: ${gin.rows[0]?.n})`,
  );
  if (!bulk) return;
  const again = performance.now();
  const second = await importArchiveFile(handle.db, file, { now: new Date() });
  const againSeconds = (performance.now() - again) / 1000;
  console.log(
    `${label}: re-import (all ${second.unchanged} unchanged) in ${againSeconds.toFixed(1)} s = ${Math.round(second.unchanged / againSeconds)} petitions/s`,
  );
  for (const text of SEARCHES) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      total = (
        await listPetitions(handle.db, { states: ['closed'], text, sort: 'relevance', page: 1, perPage: 20 })
      ).total;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${label}: search '${text}' → ${total} petitions, median ${times[2]?.toFixed(0)} ms (5 runs)`,
    );
  }
}

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
console.log(`file: ${file}`);
for (const bulk of [false, true]) {
  const path = bulk ? 'bulk path' : 'old path';
  const embedded = await openDatabase({ dataDir: 'memory://' });
  await measure(`PGlite (in-memory), ${path}`, embedded, bulk);
  await embedded.close();
  const server = await scratchPostgres();
  if (server) {
    const version = await sql<{ server_version: string }>`show server_version`.execute(server.handle.db);
    await measure(`PostgreSQL ${version.rows[0]?.server_version ?? ''}, ${path}`, server.handle, bulk);
    await server.drop();
  } else {
    console.log(`PostgreSQL at ${pgUrl} does not answer: skipped`);
  }
}
