/**
 * The server the signing benchmark loads: the real app (same process layout as `cheongwon serve`) plus two
 * comparison routes on the same Hono instance, so all three are measured with the same framework and load generator:
 *  - POST /bench/bare — the HTTP ceiling: parses nothing, touches no database;
 *  - POST /bench/naive/:id — the naive design: per request one transaction with one INSERT and one "+1" on the
 *    petition row (the hot-row contention that forced the UK site's redesign).
 * With BENCH_LOG=off the writer keeps no transparency log (the baseline `bench:sign` compares the log against, in
 * the same run); otherwise the log's integrator and publisher run in this process as in `serve`, and `/log/…` is
 * served (the benchmark polls the petition checkpoint to time acknowledgement → signed checkpoint).
 * Environment: as `cheongwon serve` (DATABASE_URL, CHEONGWON_SECRET, PORT, …).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createApp } from '../src/http/app.js';
import { registerLogRoutes } from '../src/http/log/routes.js';
import { NO_AGREEMENT_LOG } from '../src/signing/agreement-writer.js';
import { createSigning } from '../src/wiring/signing.js';
import { createTransparencyLog } from '../src/wiring/transparency.js';
import { benchSite, listen } from './support/bench-server.js';

const { config, handle, site } = await benchSite();
const logOff = process.env.BENCH_LOG === 'off';
const signing = await createSigning(
  config,
  site,
  handle.db,
  process.env,
  logOff ? { log: NO_AGREEMENT_LOG } : {},
);
const app = createApp(site, signing.context);
const transparency = logOff
  ? null
  : await createTransparencyLog(config, handle, { log: (l) => console.error(l) });
if (transparency) {
  registerLogRoutes(app, { db: handle.db, keyText: transparency.keyText });
  transparency.scheduler.start();
}
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
listen(
  app,
  config.port,
  {},
  {
    site,
    handle,
    closeFirst: async () => {
      await transparency?.scheduler.stop();
      await signing.close();
    },
  },
);
