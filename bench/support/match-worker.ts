/** One lookup thread of `npm run bench:match -- --threads N`: a reader over the shared index, timing its queries. */
import { parentPort, workerData } from 'node:worker_threads';
import { PdqMatchIndex, type PdqMatchIndexSnapshot } from '../../src/domain/pdq/match-index.js';

const { snapshot, queries, radius } = workerData as {
  snapshot: PdqMatchIndexSnapshot;
  queries: Uint32Array;
  radius: number;
};
const index = PdqMatchIndex.fromSnapshot(snapshot);
const count = queries.length / 8;
for (let i = 0; i < Math.min(100, count); i++) index.lookup(queries.subarray(i * 8, i * 8 + 8), radius); // warm up
let matches = 0;
const cpu = process.cpuUsage();
const t = performance.now();
for (let i = 0; i < count; i++) matches += index.lookup(queries.subarray(i * 8, i * 8 + 8), radius).length;
const ms = performance.now() - t;
const used = process.cpuUsage(cpu);
parentPort?.postMessage({ lookups: count, matches, ms, cpuMs: (used.user + used.system) / 1000 });
