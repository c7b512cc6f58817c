/**
 * Count endpoint benchmark (`npm run bench:count`): how many clients one app server can answer polling a petition's
 * live counter, `GET /api/v1/petitions/{id}/count`, against the HTTP ceiling — a bare route on the same Hono app
 * returning the same bytes and headers from memory — with the same server, the same autocannon and in the same run,
 * at 64 and 256 connections:
 *   1. bare route (ceiling);  2. count endpoint (1 s in-process cache);  3. count endpoint, client sends its ETag
 *   (304, what a well-behaved poller gets);  4. count endpoint without the cache (one primary-key read per request).
 *
 * Environment: BENCH_ENGINE=postgres (default; BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test,
 * where a scratch database is created and dropped) or pglite (a scratch data directory); BENCH_SECONDS (default 10
 * per scenario); BENCH_APPEND=0 to print without appending to BENCHMARKS.md.
 */
import {
  appendToBenchmarks,
  benchDatabase,
  loadGet,
  machine,
  resultTable,
  type ScenarioResult,
  startBenchServer,
} from './support/harness.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const port = 3902;
const database = await benchDatabase();
const engineLabel = database.label;
const env: NodeJS.ProcessEnv = { ...database.env, PORT: String(port), CHEONGWON_SEED: 'none' };

const server = await startBenchServer('bench/count-server.ts', env);
const info = server.info;
const id = info('petition');
const etag = info('etag');
const target = `http://127.0.0.1:${port}`;

const rows: ScenarioResult[] = [];
try {
  for (const pathname of [`/api/v1/petitions/${id}/count`, `/uncached/api/v1/petitions/${id}/count`]) {
    const check = await fetch(`${target}${pathname}`);
    if (check.status !== 200) throw new Error(`${pathname} answered ${check.status}: ${await check.text()}`);
  }
  for (const connections of [64, 256]) {
    const run = async (scenario: string, pathname: string, headers?: Record<string, string>) => {
      const result = await loadGet({ url: `${target}${pathname}`, connections, seconds, headers });
      rows.push({ scenario, connections, result });
    };
    await run('bare route, same bytes (ceiling)', '/bench/bare');
    await run('count endpoint (1 s cache)', `/api/v1/petitions/${id}/count`);
    await run('count endpoint, If-None-Match → 304', `/api/v1/petitions/${id}/count`, {
      'If-None-Match': etag,
    });
    await run('count endpoint, no cache (a read per request)', `/uncached/api/v1/petitions/${id}/count`);
  }
} finally {
  await server.stop();
  await database.drop();
}

const table = resultTable(rows, (r) => r.scenario.startsWith('bare'), 'answers/s');
const date = new Date().toISOString().slice(0, 10);
const section = [
  `### ${date}, ${engineLabel}: ${machine()}; ${seconds} s per scenario; autocannon on the same cores`,
  '',
  `Command: \`${process.env.BENCH_ENGINE === 'pglite' ? 'BENCH_ENGINE=pglite ' : ''}BENCH_SECONDS=${seconds} npm run bench:count\`; body ${info('bytes')} bytes.`,
  '',
  table,
].join('\n');
console.log(`\n${section}`);
if (process.env.BENCH_APPEND !== '0') appendToBenchmarks(section);
