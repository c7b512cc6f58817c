/**
 * Page benchmark (`npm run bench:pages`): the petition page of the Room-N petition (Blue House 586819, 2,715,626
 * agreements, answered) rendered by the real app under load, against the same bytes served as a static response
 * from the same server, with the same autocannon, in the same run, at 64 connections (and 256 for the curve).
 * Target (issue 6): ≥ 50 % of the static ceiling and p99 ≤ 20 ms at 64 clients.
 *
 * Environment: BENCH_ENGINE=postgres (default) | pglite; BENCH_POSTGRES_URL; BENCH_SECONDS (default 10 per
 * scenario); BENCH_APPEND=0 to print without appending to BENCHMARKS.md.
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
const port = 3903;
const database = await benchDatabase();
console.log(`loading the real sample into ${database.label} (first start, ~10 s) …`);
const server = await startBenchServer('bench/pages-server.ts', { ...database.env, PORT: String(port) });
const info = server.info;
const id = info('petition');
const target = `http://127.0.0.1:${port}`;

const rows: ScenarioResult[] = [];
try {
  for (const connections of [64, 256]) {
    const run = async (scenario: string, pathname: string) => {
      const result = await loadGet({ url: `${target}${pathname}`, connections, seconds });
      rows.push({ scenario, connections, result });
    };
    await run('static response, same bytes (ceiling)', '/bench/static');
    await run('petition page (Room-N, 586819)', `/petitions/${id}`);
  }
} finally {
  await server.stop();
  await database.drop();
}

const table = resultTable(rows, (r) => r.scenario.startsWith('static'), 'pages/s');
const section = [
  `### ${new Date().toISOString().slice(0, 10)}, pages, ${database.label}: ${machine()}; ${seconds} s per scenario; autocannon on the same cores`,
  '',
  `Command: \`${process.env.BENCH_ENGINE === 'pglite' ? 'BENCH_ENGINE=pglite ' : ''}BENCH_SECONDS=${seconds} npm run bench:pages\`; page ${info('bytes')} bytes. Target: ≥ 50 % of the ceiling, p99 ≤ 20 ms at 64.`,
  '',
  table,
].join('\n');
console.log(`\n${section}`);
if (process.env.BENCH_APPEND !== '0') appendToBenchmarks(section);
