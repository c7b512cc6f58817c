import { searchColumns } from '../src/domain/search-text.js';
/**
 * The server the count benchmark loads: the real app as `cheongwon serve` builds it (rate limit raised out of the
 * way), plus, on the same Hono instance, `GET /bench/bare` answering the very bytes and headers the count endpoint
 * gives for the benchmark petition, from memory — the HTTP ceiling. A second app mounted under `/uncached` serves
 * the API without the count cache (every request reads the database). At start it creates one open petition with a
 * live count and prints `petition <id>`.
 * Environment: as `cheongwon serve` (DATABASE_URL or CHEONGWON_DATA_DIR, PORT).
 */
import { createApp } from '../src/http/app.js';
import { benchSite, listen, serveCopy } from './support/bench-server.js';

const { config, handle, site } = await benchSite();
const { id } = await handle.db
  .insertInto('petitions')
  .values({
    profile: 'cheongwadae',
    category: 'other',
    title: '카운터 벤치마크 청원',
    body: '본문',
    ...searchColumns('카운터 벤치마크 청원', '본문'),
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
const etag = sample.headers.get('etag') ?? '';
const bytes = await serveCopy(app, '/bench/bare', sample);
app.route('/uncached', uncached);
listen(app, config.port, { petition: id, etag, bytes }, { site, handle });
