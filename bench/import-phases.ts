/**
 * Where a bulk import of the 2020 Blue House file goes, on PostgreSQL (BENCHMARKS.md, "re-measured with the bigram
 * index"): parsing; the search forms and bigrams in JavaScript; the whole bulk import; then each GIN index of
 * `petitions` dropped and built alone, and all of them at once; then the import again without any GIN index.
 *
 * Usage: npx tsx bench/import-phases.ts   (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test;
 * a scratch database is created and dropped)
 */
import { sql } from 'kysely';
import { parseArchiveFile } from '../src/archive/parse-file.js';
import { importArchiveFile } from '../src/commands/import-archive.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { gramsText, searchForms, searchGrams } from '../src/domain/search-text.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';

const file = '../shared/data/cwd/cwd_2020_korkeep.jsonl';
const t = () => performance.now();
let s = t();
const records = [];
for await (const r of parseArchiveFile(file)) if (r.ok) records.push(r.record);
console.log(`parse: ${((t() - s) / 1000).toFixed(2)} s (${records.length})`);
s = t();
let n = 0;
for (const r of records) {
  const f = searchForms(r.title, r.body);
  n += gramsText(f.search_document).length + gramsText(f.search_title).length;
}
console.log(`search forms + grams in JS: ${((t() - s) / 1000).toFixed(2)} s (${n} characters of bigrams)`);
let total = 0;
const distinct = new Set<string>();
for (const r of records) {
  const g = searchGrams(searchForms(r.title, r.body).search_document);
  total += g.length;
  for (const x of g) distinct.add(x);
}
console.log(`bigram entries: ${total}, distinct keys: ${distinct.size}`);
const scratch = await createScratchDatabase(
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  'cheongwon_phases',
);
const h = await openDatabase({ url: scratch.url });
try {
  await migrateToLatest(h.db);
  s = t();
  const summary = await importArchiveFile(h.db, file, { now: new Date() });
  console.log(`bulk import: ${((t() - s) / 1000).toFixed(2)} s, bulk ${summary.bulk}`);
  const gin = (
    await sql<{
      indexname: string;
      indexdef: string;
    }>`select indexname, indexdef from pg_indexes where tablename='petitions' and indexdef like '% USING gin %'`.execute(
      h.db,
    )
  ).rows;
  for (const ix of gin) {
    await sql`drop index ${sql.id(ix.indexname)}`.execute(h.db);
    s = t();
    await sql.raw(ix.indexdef).execute(h.db);
    console.log(`build ${ix.indexname}: ${((t() - s) / 1000).toFixed(2)} s`);
  }
  for (const ix of gin) await sql`drop index ${sql.id(ix.indexname)}`.execute(h.db);
  s = t();
  await Promise.all(gin.map((ix) => sql.raw(ix.indexdef).execute(h.db)));
  console.log(`build all ${gin.length} at once: ${((t() - s) / 1000).toFixed(2)} s`);
  for (const ix of gin) await sql`drop index ${sql.id(ix.indexname)}`.execute(h.db);
  await sql`truncate petitions cascade`.execute(h.db);
  s = t();
  const again = await importArchiveFile(h.db, file, { now: new Date(), bulk: false });
  console.log(`import without GIN indexes: ${((t() - s) / 1000).toFixed(2)} s (${again.inserted})`);
} finally {
  await h.close();
  await scratch.drop();
}
