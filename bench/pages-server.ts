/**
 * The server the page benchmark loads: the real app as `cheongwon serve` builds it, over a database holding the
 * bundled real sample, plus `GET /bench/static` on the same Hono instance answering the very bytes and headers of the
 * Room-N petition page (Blue House petition 586819, 2,715,626 agreements) from memory — the static ceiling.
 * Prints `petition <id>` and `bytes <n>` once listening.
 * Environment: as `cheongwon serve` (DATABASE_URL or CHEONGWON_DATA_DIR, PORT).
 */
import { seedIfEmpty } from '../src/cli/seed.js';
import { createApp } from '../src/http/app.js';
import { benchSite, listen, serveCopy } from './support/bench-server.js';

const { config, handle, site } = await benchSite();
await seedIfEmpty(handle.db, { progress: false, log: () => {} });
const { id } = await handle.db
  .selectFrom('petitions')
  .select('id')
  .where('archive_source_id', '=', '586819')
  .executeTakeFirstOrThrow();

const app = createApp(site);
// a throwaway instance renders the sample (requesting `app` itself would freeze its routes)
const sample = await createApp(site).request(`/petitions/${id}`);
if (sample.status !== 200) throw new Error(`the Room-N petition page answered ${sample.status}`);
const bytes = await serveCopy(app, '/bench/static', sample);
listen(app, config.port, { petition: id, bytes }, { site, handle });
