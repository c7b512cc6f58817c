/**
 * Search at national scale: a synthetic archive of 1.1 million petitions (the Blue House board received about 1.11
 * million in five years), generated from the real files' length and word distributions into a scratch PostgreSQL
 * database, then the p50/p95 of `listPetitions` (the repository function the search page and the API call: relevance
 * order, first page of 20, capped count) for single words, a common word (in ~40 % of petitions), two- and
 * three-word queries.
 *
 * Generation: titles are runs of consecutive words of real titles (their word counts drawn from the real titles'),
 * bodies are runs of 12 consecutive words of real bodies (their word counts drawn from the real bodies', capped by
 * --body-words so the run stays bounded); search columns come from `searchColumns` as in production; rows go in as
 * multi-row `insert … select from unnest(…)` of 2,000, with the GIN (search) indexes dropped during the load and
 * built after it (timed).
 *
 * Usage: npm run bench:search [-- --rows 1100000 --body-words 120 --runs 3 --keep]
 *        npm run bench:search -- --reuse postgres://…/cheongwon_bench_search_… [--baseline FILE]
 * --keep keeps the database (its URL is printed); --reuse URL searches a kept one without generating (the same
 * queries: they draw from their own generator); --baseline FILE also times FILE's `listPetitions` (a copy of an
 * earlier src/repositories/petitions.ts) on the same queries, alternating with this code's, in the same run.
 * Environment: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test): a scratch database is created
 * on that server and dropped afterwards (kept with --keep, its URL printed).
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { sql } from 'kysely';
import { parseArchiveFile } from '../src/archive/parse-file.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { searchColumns, searchGrams, searchText } from '../src/domain/search-text.js';
import { pageQuerySchema, toPetitionListQuery } from '../src/http/list-query.js';
import { listPetitions } from '../src/repositories/petitions.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1100000' },
    'body-words': { type: 'string', default: '120' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    baseline: { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const BODY_WORDS_CAP = Number(args['body-words']);
const RUNS = Number(args.runs);
const pgUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REAL_FILES = [
  '../shared/data/cwd/cwd_2020_korkeep.jsonl',
  '../shared/data/cwd/cwd_lovit_petitions_2017-08.jsonl',
  '../shared/data/cwd/cwd_lovit_petitions_2019-04.jsonl',
  '../shared/data/cwd/cwd_lovit_petitions_2019-05.jsonl',
  '../shared/data/cwd/cwd_lovit_petitions_2019-06.jsonl',
];

/** A deterministic generator (mulberry32), so two runs generate the same archive. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(20_200_318);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
/** The queries draw from their own generator, so a reused database (--reuse) is searched with the same queries. */
const queryRnd = random(586_819);
const pickQuery = <T>(xs: readonly T[]): T => xs[Math.floor(queryRnd() * xs.length)] as T;

// 1. the real distributions
const titleWords: string[] = [];
const bodyWords: string[] = [];
const titleLengths: number[] = [];
const bodyLengths: number[] = [];
const realDocs: string[] = [];
for (const file of REAL_FILES) {
  for await (const r of parseArchiveFile(file)) {
    if (!r.ok) continue;
    const t = r.record.title.split(/\s+/).filter(Boolean);
    const b = (r.record.body ?? '').split(/\s+/).filter(Boolean);
    titleWords.push(...t);
    bodyWords.push(...b);
    titleLengths.push(t.length);
    if (b.length > 0) bodyLengths.push(b.length);
    realDocs.push(searchText(`${r.record.title} ${r.record.body ?? ''}`));
  }
}
const realWordCounts = new Map<string, number>();
for (const doc of realDocs) {
  for (const w of new Set(doc.split(' '))) realWordCounts.set(w, (realWordCounts.get(w) ?? 0) + 1);
}
/** Real words by the share of real petitions holding them (as a whole word). */
const byShare = [...realWordCounts].map(([w, n]) => ({ w, share: n / realDocs.length }));
const wordsBetween = (lo: number, hi: number) =>
  byShare.filter((x) => x.share >= lo && x.share <= hi && [...x.w].length >= 2).map((x) => x.w);

function run(words: readonly string[], start: number, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(words[(start + i) % words.length] as string);
  return out;
}
function petition(i: number) {
  const title = run(titleWords, Math.floor(rnd() * titleWords.length), Math.max(1, pick(titleLengths))).join(
    ' ',
  );
  const want = Math.min(BODY_WORDS_CAP, pick(bodyLengths));
  const body: string[] = [];
  while (body.length < want) body.push(...run(bodyWords, Math.floor(rnd() * bodyWords.length), 12));
  const text = body.slice(0, want).join(' ');
  const opened = new Date(Date.UTC(2017, 7, 19) + Math.floor(rnd() * 1_700) * 86_400_000);
  return {
    title: [...title].slice(0, 2000).join(''),
    body: text,
    ...searchColumns(title, text),
    source_id: String(i + 1),
    count: Math.floor(1 / (rnd() + 1e-6)) - 1 + (rnd() < 0.001 ? Math.floor(rnd() * 300_000) : 0),
    opened,
  };
}

const scratch = args.reuse
  ? { url: args.reuse, drop: async () => {} }
  : await createScratchDatabase(pgUrl, 'cheongwon_bench_search');
const handle = await openDatabase({ url: scratch.url, poolSize: 4 });
const db = handle.db;
try {
  // the common word: of the real words in 20–60 % of real petitions, the one nearest 40 % of generated ones
  const trial = Array.from({ length: 3000 }, (_, k) => petition(k).search_document);
  const share = (w: string) => trial.filter((d) => d.includes(w)).length / trial.length;
  const common = wordsBetween(0.2, 0.6)
    .map((w) => ({ w, d: Math.abs(share(w) - 0.4) }))
    .sort((a, b) => a.d - b.d)[0]?.w as string;
  let commonShare = share(common);
  let loadSeconds = 0;
  let indexSeconds = 0;
  if (!args.reuse) {
    await migrateToLatest(db);
    ({ loadSeconds, indexSeconds, commonShare } = await generate(common));
  }
  const size = await sql<{
    size: string;
  }>`select pg_size_pretty(pg_total_relation_size('petitions')) as size`.execute(db);

  // 3. the queries: real words and runs of real title words
  const singles = Array.from({ length: 20 }, () => pickQuery(wordsBetween(0.001, 0.05)));
  const titleRun = (n: number) =>
    run(titleWords, Math.floor(queryRnd() * titleWords.length), n).map((w) => w.replace(/["“”]/g, ''));
  const sets: Array<[string, string[]]> = [
    ['single word (0.1–5 % of petitions)', singles],
    [`common word (“${common}”, ${(100 * commonShare).toFixed(0)} % of petitions)`, [common]],
    ['two words (from one title)', Array.from({ length: 20 }, () => titleRun(2).join(' '))],
    ['three words (from one title)', Array.from({ length: 20 }, () => titleRun(3).join(' '))],
    ['two words, any order (reversed)', Array.from({ length: 20 }, () => titleRun(2).reverse().join(' '))],
  ];
  // --baseline: another implementation of listPetitions (a copy of an earlier src/repositories/petitions.ts,
  // e.g. `git show REV:src/repositories/petitions.ts > src/repositories/baseline-petitions.ts`), timed on the same
  // queries in the same run, alternating with this one query by query, so that a shared machine's load falls on both
  const baseline: typeof listPetitions | null = args.baseline
    ? (await import(path.resolve(args.baseline))).listPetitions
    : null;
  const variants: Array<[string, typeof listPetitions]> = baseline
    ? [
        ['this code', listPetitions],
        ['baseline', baseline],
      ]
    : [['this code', listPetitions]];
  // the query exactly as the search page and the API build it (public states, titles only for one-character words)
  const search = (list: typeof listPetitions, q: string) =>
    list(db, toPetitionListQuery(pageQuerySchema.parse({ q, per_page: '20' }), 'relevance'));
  const table: string[] = [];
  for (const [label, queries] of sets) {
    for (const [, list] of variants) for (const q of queries) await search(list, q); // warm the cache once
    const times = variants.map(() => [] as number[]);
    const totals = variants.map(() => [] as string[]);
    const slowest = new Map<string, number>();
    for (let r = 0; r < RUNS; r++) {
      for (const [qi, q] of queries.entries()) {
        // alternate which goes first, so neither always meets a cache the other warmed
        const order = variants.map((_, i) => i);
        if ((r + qi) % 2 === 1) order.reverse();
        for (const v of order) {
          const t0 = performance.now();
          const page = await search((variants[v] as [string, typeof listPetitions])[1], q);
          const ms = performance.now() - t0;
          (times[v] as number[]).push(ms);
          if (v === 0) slowest.set(q, Math.max(ms, slowest.get(q) ?? 0));
          if (r === 0)
            (totals[v] as string[]).push(
              `${page.total.toLocaleString('en')}${page.totalIsLowerBound ? '+' : ''}`,
            );
        }
      }
    }
    for (const [v, [name]] of variants.entries()) {
      const sorted = (times[v] as number[]).sort((a, b) => a - b);
      const p = (q: number) =>
        (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number).toFixed(0);
      const line = `| ${label}${baseline ? ` — ${name}` : ''} | ${queries.length} × ${RUNS} | ${p(0.5)} | ${p(0.95)} | ${(sorted.at(-1) as number).toFixed(0)} | ${(totals[v] as string[]).slice(0, 3).join(', ')} |`;
      table.push(line);
      console.log(line);
    }
    const worst = [...slowest].sort((a, b) => b[1] - a[1]).slice(0, 3);
    console.log(`  slowest: ${worst.map(([q, ms]) => `${q} (${ms.toFixed(0)} ms)`).join(' · ')}`);
  }
  console.log(`
Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()} ${os.release()}
Rows: ${ROWS.toLocaleString('en')} (bodies capped at ${BODY_WORDS_CAP} words), table + indexes ${size.rows[0]?.size}
Load: ${args.reuse ? 'reused' : `${loadSeconds.toFixed(0)} s`} (${Math.round(ROWS / loadSeconds).toLocaleString('en')} petitions/s); GIN indexes built in ${indexSeconds.toFixed(0)} s

| query | queries × runs | p50 ms | p95 ms | max ms | results (first three) |
| --- | --- | --- | --- | --- | --- |
${table.join('\n')}`);
  if (args.keep) console.log(`kept: ${scratch.url}`);
} finally {
  await handle.close();
  if (!args.keep) await scratch.drop();
}

/**
 * Loads ROWS generated petitions with the GIN indexes dropped, then builds them. The bigram lists go over the wire
 * as space-separated text and become tsvectors on the server (`array_to_tsvector(string_to_array(…))`: a bigram
 * never holds a space, searchText folds all white space), which skips quoting and the tsvector literal parser.
 * @returns seconds spent loading and building the indexes, and the share of generated petitions holding `common`
 */
async function generate(common: string) {
  const indexes = await sql<{
    indexname: string;
    indexdef: string;
  }>`select indexname, indexdef from pg_indexes
    where tablename = 'petitions' and indexdef like '%USING gin%'`.execute(db);
  for (const ix of indexes.rows) await sql`drop index ${sql.id(ix.indexname)}`.execute(db);
  const BATCH = 2_000;
  const bar = new SingleBar({
    format: 'generating {bar} {value}/{total} petitions | {rate}/s | eta {eta}s',
    hideCursor: true,
    noTTYOutput: true, // a line every 10 s when the output is a file
    notTTYSchedule: 10_000,
  });
  const loadStarted = performance.now();
  bar.start(ROWS, 0, { rate: 0 });
  let commonHits = 0;
  const spaced = (document: string) => searchGrams(document).join(' ');
  let pending: Promise<unknown> = Promise.resolve();
  for (let done = 0; done < ROWS; done += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, ROWS - done) }, (_, k) => petition(done + k));
    for (const r of rows) if (r.search_document.includes(common)) commonHits++;
    await pending;
    pending = sql`insert into petitions (profile, category, title, body, search_title, search_document,
        search_title_grams, search_grams, state, response_state, archived_agreement_count, archived_count_final,
        opened_at, closes_at, closed_at, archive_source, archive_source_id, imported_at)
      select 'cheongwadae', 'other', t, b, st, sd, array_to_tsvector(string_to_array(stg, ' ')),
        array_to_tsvector(string_to_array(sg, ' ')), 'closed', 'none', n, true, o,
        o + interval '30 days', o + interval '30 days', 'cwd', id, now()
      from unnest(${rows.map((r) => r.title)}::text[], ${rows.map((r) => r.body)}::text[],
        ${rows.map((r) => r.search_title)}::text[], ${rows.map((r) => r.search_document)}::text[],
        ${rows.map((r) => spaced(r.search_title))}::text[], ${rows.map((r) => spaced(r.search_document))}::text[],
        ${rows.map((r) => r.count)}::int[], ${rows.map((r) => r.opened)}::timestamptz[],
        ${rows.map((r) => r.source_id)}::text[]) as u(t, b, st, sd, stg, sg, n, o, id)`.execute(db);
    const seconds = (performance.now() - loadStarted) / 1000;
    bar.update(done + rows.length, { rate: Math.round((done + rows.length) / seconds) });
  }
  await pending;
  bar.stop();
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const indexStarted = performance.now();
  await db.connection().execute(async (c) => {
    await sql`set maintenance_work_mem = '1GB'`.execute(c);
    for (const ix of indexes.rows) {
      process.stderr.write(`building ${ix.indexname}…\n`);
      await sql.raw(ix.indexdef).execute(c);
    }
  });
  await sql`vacuum analyze petitions`.execute(db);
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  return { loadSeconds, indexSeconds, commonShare: commonHits / ROWS };
}
