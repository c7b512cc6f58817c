/**
 * The PDQ matcher at scale: N random 256-bit hashes (default 10 million) loaded into `PdqMatchIndex`, then lookups
 * at radius 31 (Meta's match threshold) — half of them near-copies of stored hashes (0–31 random bits flipped, so
 * each has at least one match), half fresh random hashes (almost never a match) — timed on one thread; a sample of
 * them checked against a linear scan of all N (recall must be 100 %: every hash the scan finds, the index finds,
 * with the same distance).
 *
 * Memory: the bytes of the index's typed arrays and the process's resident set after loading.
 *
 * --threads N (default 2, the machine's cores) then runs the same lookups split over N worker threads that share
 * the index's memory (`shared: true`, SharedArrayBuffer snapshot): the deployment's way to use every core.
 *
 * Usage: npm run bench:match [-- --hashes 10000000 --queries 4000 --verify 100 --threads 2 --compare]
 *   --compare then runs plain multi-index hashing (bench/support/chunk-mih.ts: 12 chunks of 21–22 bits at radius
 *   2, and 16 chunks of 16 bits at radius 1, each candidate checked by reading its hash) on the first 2 million
 *   of the same hashes, to show why the desk's index filters candidates where they are stored.
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { type PdqMatch, PdqMatchIndex } from '../src/domain/pdq/match-index.js';
import { ChunkMih } from './support/chunk-mih.js';

const { values: args } = parseArgs({
  options: {
    hashes: { type: 'string', default: '10000000' },
    queries: { type: 'string', default: '4000' },
    verify: { type: 'string', default: '100' },
    radius: { type: 'string', default: '31' },
    seed: { type: 'string', default: '20201210' },
    compare: { type: 'boolean', default: false },
    threads: { type: 'string', default: '2' },
  },
});
const N = Number(args.hashes);
const QUERIES = Number(args.queries);
const VERIFY = Math.min(Number(args.verify), QUERIES);
const RADIUS = Number(args.radius);

/** xorshift32: reproducible random words without a package. */
let state = Number(args.seed) >>> 0 || 1;
const rand = () => {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state;
};

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const log = (line: string) => console.log(line);

log(
  `PDQ matcher benchmark: ${N.toLocaleString('en')} random hashes, radius ${RADIUS}, node ${process.version}`,
);
const rssBefore = process.memoryUsage().rss;
const words = new Uint32Array(N * 8);
for (let i = 0; i < words.length; i++) words[i] = rand();
const ids = new Uint32Array(N);
for (let i = 0; i < N; i++) ids[i] = i + 1;

const queries: Uint32Array[] = [];
for (let i = 0; i < QUERIES; i++) {
  const q = new Uint32Array(8);
  if (i % 2 === 0) {
    const from = rand() % N;
    q.set(words.subarray(from * 8, from * 8 + 8));
    const flips = rand() % (RADIUS + 1);
    for (let f = 0; f < flips; f++) {
      const bit = rand() % 256;
      q[bit >>> 5] = ((q[bit >>> 5] as number) ^ (1 << (bit & 31))) >>> 0;
    }
  } else {
    for (let w = 0; w < 8; w++) q[w] = rand();
  }
  queries.push(q);
}

interface Index {
  load(words: Uint32Array, ids: Uint32Array): void;
  lookup(q: Uint32Array, radius: number): PdqMatch[];
  scan(q: Uint32Array, radius: number): PdqMatch[];
  stats(): { bytes: number };
}

function run(name: string, index: Index, hashWords: Uint32Array, hashIds: Uint32Array) {
  let t = performance.now();
  index.load(hashWords, hashIds);
  const buildMs = performance.now() - t;
  const stats = index.stats();
  (globalThis as { gc?: () => void }).gc?.(); // the build's temporary arrays are garbage now (npm script: --expose-gc)
  const rss = process.memoryUsage().rss;
  // warm up, then time
  for (let i = 0; i < Math.min(200, queries.length); i++) index.lookup(queries[i] as Uint32Array, RADIUS);
  let matches = 0;
  t = performance.now();
  const cpu = process.cpuUsage();
  for (const q of queries) matches += index.lookup(q, RADIUS).length;
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = (used.user + used.system) / 1e6;
  // recall against a linear scan
  let expected = 0;
  let missed = 0;
  let wrong = 0;
  for (let i = 0; i < VERIFY; i++) {
    const q = queries[i] as Uint32Array;
    const truth = index.scan(q, RADIUS);
    const got = new Map(index.lookup(q, RADIUS).map((m) => [m.hashId, m.distance]));
    expected += truth.length;
    for (const m of truth) {
      const d = got.get(m.hashId);
      if (d === undefined) missed++;
      else if (d !== m.distance) wrong++;
    }
    if (got.size !== truth.length) wrong += Math.abs(got.size - truth.length);
  }
  const recall = expected === 0 ? 1 : (expected - missed) / expected;
  log(
    `${name}, ${(hashIds.length / 1e6).toFixed(1)} M hashes: build ${(buildMs / 1000).toFixed(1)} s; index arrays ${mb(stats.bytes)} ` +
      `(process RSS ${mb(rss)}, ${mb(rss - rssBefore)} above start); ` +
      `${queries.length} lookups in ${seconds.toFixed(2)} s = ${Math.round(queries.length / seconds)} lookups/s ` +
      `(${Math.round(queries.length / cpuSeconds)} per CPU-second), ${matches} matches; ` +
      `recall on ${VERIFY} lookups vs linear scan: ${(recall * 100).toFixed(2)} % ` +
      `(${expected} expected, ${missed} missed, ${wrong} wrong)`,
  );
  if (missed > 0 || wrong > 0) process.exitCode = 1;
}

const THREADS = Number(args.threads);
const main = new PdqMatchIndex({ shared: THREADS > 1 });
run('PdqMatchIndex (8 words × 2 halves, filtered)', main, words, ids);
if (THREADS > 1) {
  const snapshot = main.snapshot();
  const perThread = Math.ceil(queries.length / THREADS);
  const t = performance.now();
  const results = await Promise.all(
    Array.from({ length: THREADS }, (_, k) => {
      const mine = queries.slice(k * perThread, (k + 1) * perThread);
      const flat = new Uint32Array(mine.length * 8);
      mine.forEach((q, i) => {
        flat.set(q, i * 8);
      });
      return new Promise<{ lookups: number; matches: number; ms: number; cpuMs: number }>(
        (resolve, reject) => {
          // the worker is TypeScript too: register tsx in it, then load it
          const entry = new URL('./support/match-worker.ts', import.meta.url).href;
          const worker = new Worker(
            `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`,
            { eval: true, workerData: { snapshot, queries: flat, radius: RADIUS } },
          );
          worker.once('message', resolve);
          worker.once('error', reject);
        },
      );
    }),
  );
  const wall = (performance.now() - t) / 1000;
  const lookups = results.reduce((n, r) => n + r.lookups, 0);
  const slowest = Math.max(...results.map((r) => r.ms)) / 1000;
  const cpu = results.reduce((n, r) => n + r.cpuMs, 0) / 1000;
  log(
    `${THREADS} threads over the shared index: ${lookups} lookups, slowest thread ${slowest.toFixed(2)} s = ` +
      `${Math.round(lookups / slowest)} lookups/s (${Math.round(lookups / wall)} including thread start; ` +
      `${Math.round(lookups / cpu)} per CPU-second), ${results.reduce((n, r) => n + r.matches, 0)} matches`,
  );
}
if (args.compare) {
  const n = Math.min(N, 2_000_000);
  const w = words.subarray(0, n * 8);
  const i = ids.subarray(0, n);
  run('PdqMatchIndex (8 words × 2 halves, filtered)', new PdqMatchIndex(), w, i);
  for (const chunks of [12, 16]) run(`plain MIH, ${chunks} chunks`, new ChunkMih({ chunks }), w, i);
}
