/**
 * The server the signing benchmark loads: the real app (same process layout as `cheongwon serve`) plus two
 * comparison routes on the same Hono instance, so all three are measured with the same framework and load generator:
 *  - POST /bench/bare — the HTTP ceiling: parses nothing, touches no database;
 *  - POST /bench/naive/:id — the naive design: per request one transaction with one INSERT and one "+1" on the
 *    petition row (the hot-row contention that forced the UK site's redesign).
 * Environment: as `cheongwon serve` (DATABASE_URL, CHEONGWON_SECRET, PORT, …).
 */
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/env.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createApp } from '../src/http/app.js';
import { createSite } from '../src/http/site.js';
import { createSigning } from '../src/signing/setup.js';

const config = loadConfig();
const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 16 });
await migrateToLatest(handle.db);
const site = await createSite({ db: handle.db, deploymentProfile: config.profile });
const signing = await createSigning(config, site, handle.db);
const app = createApp(site, signing.context);
app.post('/bench/bare', (c) => c.json({ ok: true }, 201));
app.post('/bench/naive/:id', async (c) => {
  const id = c.req.param('id');
  await handle.db.transaction().execute(async (trx) => {
    await sql`insert into agreements (petition_id, signer_key, method, created_at, confirmed_at)
              values (${id}, ${randomBytes(32).toString('hex')}, 'oidc', now(), now())`.execute(trx);
    await sql`update petitions set agreement_count = agreement_count + 1 where id = ${id}`.execute(trx);
  });
  return c.json({ status: 'agreed' }, 201);
});
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: config.port }, (info) => {
  console.log(`bench server listening on ${info.port}`);
});
process.on('SIGTERM', () => {
  server.close(async () => {
    await signing.close();
    site.close();
    await handle.close();
    process.exit(0);
  });
});
