/**
 * The server the page benchmark loads: the real app as `cheongwon serve` builds it, over a database holding the
 * bundled real sample, plus `GET /bench/static` on the same Hono instance answering the very bytes and headers of the
 * Room-N petition page (Blue House petition 586819, 2,715,626 agreements) from memory — the static ceiling.
 * Prints `petition <id>` and `bytes <n>` once listening.
 * Environment: as `cheongwon serve` (DATABASE_URL or CHEONGWON_DATA_DIR, PORT).
 */
import { serve } from '@hono/node-server';
import { seedIfEmpty } from '../src/cli/seed.js';
import { loadConfig } from '../src/config/env.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createApp } from '../src/http/app.js';
import { createSite } from '../src/http/site.js';

const config = loadConfig();
const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 16 });
await migrateToLatest(handle.db);
await seedIfEmpty(handle.db, { progress: false, log: () => {} });
const site = await createSite({ db: handle.db, deploymentProfile: config.profile });
const { id } = await handle.db
  .selectFrom('petitions')
  .select('id')
  .where('archive_source_id', '=', '586819')
  .executeTakeFirstOrThrow();

const app = createApp(site);
// a throwaway instance renders the sample (requesting `app` itself would freeze its routes)
const sample = await createApp(site).request(`/petitions/${id}`);
if (sample.status !== 200) throw new Error(`the Room-N petition page answered ${sample.status}`);
const bytes = Buffer.from(await sample.arrayBuffer());
const headers = Object.fromEntries(sample.headers.entries());
app.get('/bench/static', (c) => {
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  return c.body(bytes, 200);
});

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: config.port }, (info) => {
  // the details first: the harness reads them as soon as it sees "listening"
  console.log(`petition ${id}`);
  console.log(`bytes ${bytes.length}`);
  console.log(`bench server listening on ${info.port}`);
});
process.on('SIGTERM', () => {
  server.close(async () => {
    site.close();
    await handle.close();
    process.exit(0);
  });
});
