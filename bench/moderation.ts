/**
 * Moderation speed on the real 2020 Blue House file (default ../shared/data/cwd/cwd_2020_korkeep.jsonl, 8,859
 * petitions): `similarPetitions` (the review page and the creation form call it once per view) for every Room N
 * title and 200 other titles, and a staff sign-in (argon2id verify + TOTP), on PGlite and — when it answers —
 * PostgreSQL, each on a fresh database.
 *
 * Usage: npm run bench:moderation [-- --postgres-only] [FILE]
 * Environment: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test; a scratch database is created
 * on that server and dropped afterwards).
 */
import { URI } from 'otpauth';
import { addStaff } from '../src/commands/add-staff.js';
import { importArchiveFile } from '../src/commands/import-archive.js';
import { signInWithPassword } from '../src/commands/sign-in-with-password.js';
import { type DatabaseHandle, openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { similarPetitions } from '../src/repositories/similar-petitions.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';

const file =
  process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '../shared/data/cwd/cwd_2020_korkeep.jsonl';
const pgUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function measure(label: string, handle: DatabaseHandle): Promise<void> {
  await migrateToLatest(handle.db);
  await importArchiveFile(handle.db, file, { now: new Date() });
  const roomN = await handle.db
    .selectFrom('petitions')
    .select(['id', 'title'])
    .where('title', 'ilike', '%n번방%')
    .execute();
  const others = await handle.db
    .selectFrom('petitions')
    .select(['id', 'title'])
    .where('title', 'not ilike', '%n번방%')
    .orderBy('id')
    .limit(200)
    .execute();
  const times: number[] = [];
  let grouped = 0;
  let found = 0;
  for (const p of [...roomN, ...others]) {
    const started = performance.now();
    const rows = await similarPetitions(handle.db, { title: p.title, excludeId: p.id }, 20);
    times.push(performance.now() - started);
    if (roomN.includes(p)) {
      found += rows.length;
      grouped += rows.filter((r) => /n\s*번\s*방|텔레그램|박사방/i.test(r.title)).length;
    }
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: similarPetitions over ${times.length} titles: median ${percentile(times, 0.5).toFixed(1)} ms, ` +
      `p95 ${percentile(times, 0.95).toFixed(1)} ms; for the ${roomN.length} Room N titles, ` +
      `${grouped} of ${found} suggestions are Room N petitions (${((100 * grouped) / Math.max(found, 1)).toFixed(0)}%)`,
  );

  const secret = 'bench-secret-0123456789abcdefghijklmnop';
  const staff = await addStaff(handle.db, {
    email: 'bench@cheongwon.test',
    roles: ['moderator'],
    secret,
    actor: { staffId: null, name: 'cli:bench' },
    now: new Date(),
  });
  const signIns: number[] = [];
  for (let i = 0; i < 10; i++) {
    const now = new Date(Date.now() + i * 30_000); // one TOTP step each: a code is accepted once
    const started = performance.now();
    await signInWithPassword(handle.db, {
      email: staff.email,
      password: staff.initialPassword,
      code: URI.parse(staff.totpUri).generate({ timestamp: now.getTime() }),
      secret,
      now,
    });
    signIns.push(performance.now() - started);
  }
  signIns.sort((a, b) => a - b);
  console.log(
    `${label}: staff sign-in (argon2id verify + TOTP + session): median ${percentile(signIns, 0.5).toFixed(0)} ms`,
  );
}

if (!process.argv.includes('--postgres-only')) {
  const pglite = await openDatabase({ dataDir: 'memory://' });
  try {
    await measure('PGlite', pglite);
  } finally {
    await pglite.close();
  }
}
let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | null = null;
try {
  scratch = await createScratchDatabase(pgUrl, 'cheongwon_bench');
} catch {
  console.log('PostgreSQL: not reachable, skipped');
}
if (scratch) {
  const handle = await openDatabase({ url: scratch.url });
  try {
    await measure('PostgreSQL', handle);
  } finally {
    await handle.close();
    await scratch.drop();
  }
}
