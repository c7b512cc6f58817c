/**
 * The server the count benchmark loads: the real app as `cheongwon serve` builds it (rate limit raised out of the
 * way), plus, on the same Hono instance, `GET /bench/bare` answering the very bytes and headers the count endpoint
 * gives for the benchmark petition, from memory — the HTTP ceiling. A second app mounted under `/uncached` serves
 * the API without the count cache (every request reads the database). At start it creates one open petition with a
 * live count and prints `petition <id>`.
 * Environment: as `cheongwon serve` (DATABASE_URL or CHEONGWON_DATA_DIR, PORT).
 */
import { serve } from '@hono/node-server';
import { loadConfig } from '../src/config/env.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createApp } from '../src/http/app.js';
import { createSite } from '../src/http/site.js';

const config = loadConfig();
const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 16 });
await migrateToLatest(handle.db);
const site = await createSite({ db: handle.db, deploymentProfile: config.profile });
const { id } = await handle.db
  .insertInto('petitions')
  .values({
    profile: 'cheongwadae',
    category: 'other',
    title: '카운터 벤치마크 청원',
    body: '본문',
    state: 'open',
    opened_at: new Date(),
    closes_at: new Date(Date.now() + 30 * 86_400_000),
    agreement_count: 123_456,
    response_threshold: 200_000,
  })
  .returning('id')
  .executeTakeFirstOrThrow();

const rateLimit = { points: 1_000_000_000, seconds: 1 };
const app = createApp(site, undefined, { rateLimit });
const uncached = createApp(site, undefined, { rateLimit, countCacheMs: 0 });
// a throwaway instance answers the sample (requesting `app` itself would freeze its routes)
const sample = await createApp(site, undefined, { rateLimit }).request(`/api/v1/petitions/${id}/count`);
const bytes = await sample.text();
const headers = Object.fromEntries(sample.headers.entries());
app.get('/bench/bare', (c) => {
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  return c.body(bytes, 200);
});
app.route('/uncached', uncached);

// printed before "listening", which the benchmark waits for
console.log(`petition ${id}`);
console.log(`etag ${headers.etag}`);
console.log(`bytes ${Buffer.byteLength(bytes)}`);
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: config.port }, (info) => {
  console.log(`bench server listening on ${info.port}`);
});
process.on('SIGTERM', () => {
  server.close(async () => {
    site.close();
    await handle.close();
    process.exit(0);
  });
});
