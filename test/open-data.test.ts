import SwaggerParser from '@apidevtools/swagger-parser';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountCache } from '../src/http/api/counts.js';
import { createApp } from '../src/http/app.js';
import { findArchivedPetition } from '../src/repositories/petitions.js';
import { saveProfileOverrides } from '../src/repositories/writes/profile-settings.js';
import { TEST_ENGINE } from './support/databases.js';
import { openPetition, signer } from './support/factories.js';
import { sampleSite, type TestSite } from './support/site.js';

let t: TestSite;
let roomNId: string;
let liveId: string;
beforeAll(async () => {
  t = await sampleSite();
  roomNId = (await findArchivedPetition(t.handle.db, 'cwd', '586819'))?.id as string;
  // a live petition with confirmed agreements from two Seoul days and three regions, plus one unconfirmed
  liveId = await openPetition(t.handle.db, { title: '실시간 집계 청원', count: 4 });
  const agreement = (region: string | null, confirmedAt: string | null) => ({
    petition_id: liveId,
    signer_key: signer(),
    method: 'oidc' as const,
    region,
    created_at: new Date('2026-11-20T01:00:00Z'),
    confirmed_at: confirmedAt ? new Date(confirmedAt) : null,
  });
  await t.handle.db
    .insertInto('agreements')
    .values([
      agreement('jeju', '2026-11-20T14:59:59Z'), // 23:59:59 in Seoul, 20 Nov
      agreement('seoul', '2026-11-20T15:00:00Z'), // 00:00 in Seoul, 21 Nov
      agreement(null, '2026-11-21T03:00:00Z'),
      agreement('seoul', '2026-11-21T04:00:00Z'),
    ])
    .execute();
  await t.handle.db
    .insertInto('agreements')
    .values({ ...agreement('busan', null), method: 'email', confirmation_token_hash: 'a'.repeat(64) })
    .execute();
});
afterAll(async () => {
  await t?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });
const json = async (path: string, status = 200) => {
  const res = await get(path);
  expect(res.status, path).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  return res.json() as Promise<any>;
};

describe(`live count endpoint (${TEST_ENGINE})`, () => {
  it('a news site polls the Room-N counter: a tiny JSON with the count, state and thresholds, cacheable', async () => {
    const res = await get(`/api/v1/petitions/${roomNId}/count`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=2, stale-while-revalidate=10');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const text = await res.text();
    expect(text.length).toBeLessThan(400);
    expect(JSON.parse(text)).toMatchObject({
      id: Number(roomNId),
      count: 2_715_626,
      count_source: 'archive',
      state: 'closed',
      response_state: 'answered',
      thresholds: [{ kind: 'response', agreements: 200_000 }],
    });
  });

  it('answers 304 without a body when the client already has the current ETag', async () => {
    const first = await get(`/api/v1/petitions/${liveId}/count`);
    const etag = first.headers.get('etag') as string;
    const again = await get(`/api/v1/petitions/${liveId}/count`, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const weak = await get(`/api/v1/petitions/${liveId}/count`, { 'If-None-Match': `"old", W/${etag}` });
    expect(weak.status).toBe(304);
    const stale = await get(`/api/v1/petitions/${liveId}/count`, { 'If-None-Match': '"something-else"' });
    expect(stale.status).toBe(200);
  });

  it('refuses a malformed id with 400 and a petition that is not public with 404', async () => {
    expect((await json('/api/v1/petitions/abc/count', 400)).error.code).toBe('invalid_parameter');
    const draft = await openPetition(t.handle.db, { state: 'in_review' });
    expect((await json(`/api/v1/petitions/${draft}/count`, 404)).error.code).toBe('petition_not_found');
    expect((await json('/api/v1/petitions/999999999/count', 404)).error.code).toBe('petition_not_found');
  });

  it('reads each petition at most once per TTL, however many ask at once, and again after it', async () => {
    let now = 0;
    let reads = 0;
    const cache = new CountCache(
      async (id) => {
        reads++;
        return { json: `{"id":${id},"n":${reads}}`, etag: `"${reads}"` };
      },
      { ttlMs: 1000, now: () => now },
    );
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.get('7')));
    expect(reads).toBe(1);
    expect(new Set(answers.map((a) => a?.etag))).toEqual(new Set(['"1"']));
    now = 999;
    await cache.get('7');
    expect(reads).toBe(1);
    now = 1000;
    expect((await cache.get('7'))?.etag).toBe('"2"');
  });

  it('keeps at most maxEntries petitions, so random ids cannot grow it without bound', async () => {
    let reads = 0;
    const cache = new CountCache(
      async () => {
        reads++;
        return null;
      },
      { maxEntries: 2, now: () => 0 },
    );
    for (const id of ['1', '2', '3']) await cache.get(id);
    await cache.get('1'); // evicted as the oldest: read again
    expect(reads).toBe(4);
    await cache.get('3');
    expect(reads).toBe(4);
  });
});

describe(`agreement aggregates (${TEST_ENGINE})`, () => {
  it('counts confirmed agreements per Seoul day, never unconfirmed ones', async () => {
    const body = await json(`/api/v1/petitions/${liveId}/agreements/by-day`);
    expect(body).toEqual({
      petition_id: Number(liveId),
      time_zone: 'Asia/Seoul',
      count_source: 'live',
      data: [
        { day: '2026-11-20', count: 1 },
        { day: '2026-11-21', count: 3 },
      ],
    });
  });

  it('counts confirmed agreements per region in the official order, "none given" last', async () => {
    const body = await json(`/api/v1/petitions/${liveId}/agreements/by-region`);
    expect(body.data).toEqual([
      { region: 'seoul', name_ko: '서울특별시', name_en: 'Seoul', count: 2 },
      { region: 'jeju', name_ko: '제주특별자치도', name_en: 'Jeju Province', count: 1 },
      { region: null, name_ko: null, name_en: null, count: 1 },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/signer|token|email|created_at|confirmed_at/);
  });

  it('an archived petition has no agreement rows behind its total: empty series', async () => {
    const days = await json(`/api/v1/petitions/${roomNId}/agreements/by-day`);
    expect(days).toMatchObject({ count_source: 'archive', data: [] });
    const regions = await json(`/api/v1/petitions/${roomNId}/agreements/by-region`);
    expect(regions).toMatchObject({ count_source: 'archive', source: 'archive', data: [] });
    expect((await json('/api/v1/petitions/999999999/agreements/by-day', 404)).error.code).toBe(
      'petition_not_found',
    );
  });
});

describe(`profiles and categories (${TEST_ENGINE})`, () => {
  it('lists the categories of the deployment’s profile, or of another one', async () => {
    const own = await json('/api/v1/categories');
    expect(own.profile).toBe('cheongwadae');
    expect(own.data).toHaveLength(17);
    expect(own.data).toContainEqual({
      code: 'human-rights-gender-equality',
      name_ko: '인권/성평등',
      name_en: 'Human rights & gender equality',
    });
    expect((await json('/api/v1/categories?profile=uk')).profile).toBe('uk');
    expect((await json('/api/v1/categories?profile=nowhere', 400)).error.details.fields).toHaveProperty(
      'profile',
    );
  });

  it('shows the effective settings, including a runtime override', async () => {
    await saveProfileOverrides(t.handle.db, 'cheongwadae', { responseThreshold: 150_000 }, new Date());
    await t.site.refreshSettings();
    try {
      const body = await json('/api/v1/profiles/cheongwadae/settings');
      expect(body).toMatchObject({
        profile: 'cheongwadae',
        time_zone: 'Asia/Seoul',
        consequences: { response: 'official_response', debate: null },
        settings: {
          pre_agreement_threshold: 100,
          agreement_period: { days: 30 },
          response_threshold: 150_000,
          response_deadline: { days: 30, from: 'close' },
        },
      });
    } finally {
      await saveProfileOverrides(t.handle.db, 'cheongwadae', {}, new Date());
      await t.site.refreshSettings();
    }
    expect((await json('/api/v1/profiles/uk/settings')).settings.debate_threshold).toBe(100_000);
    expect((await json('/api/v1/profiles/atlantis/settings', 400)).error.code).toBe('invalid_parameter');
  });
});

describe(`CSV export (${TEST_ENGINE})`, () => {
  const csv = async (path: string) => {
    const res = await get(path);
    expect(res.status, path).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="cheongwon-petitions.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    return { res, bytes, rows: parse(bytes, { bom: true, columns: true }) as Record<string, string>[] };
  };

  it('a researcher downloads the Room-N search as CSV that Excel opens in Korean', async () => {
    const { res, bytes, rows } = await csv(
      `/api/v1/petitions.csv?q=${encodeURIComponent('n번방')}&per_page=500`,
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n');
    const api = await json(`/api/v1/petitions?q=${encodeURIComponent('n번방')}&per_page=1`);
    expect(Number(res.headers.get('x-total-count'))).toBe(api.meta.total);
    expect(rows).toHaveLength(api.meta.total);
    const roomN = rows.find((r) => r.id === roomNId);
    expect(roomN).toMatchObject({
      title: '텔레그램 n번방 용의자 신상공개 및 포토라인 세워주세요',
      category_name: '안전/환경',
      agreement_count: '2715626',
      count_source: 'archive',
      count_final: 'true',
      last_day: '2020-04-17',
      archive_source: 'cwd',
      archive_source_id: '586819',
    });
  });

  it('neutralises cells a spreadsheet would run as a formula (OWASP CSV injection)', async () => {
    const titles = [
      '=HYPERLINK("http://evil.example","클릭")',
      "+1+cmd|' /C calc'!A0",
      '-2+3',
      '@SUM(1+1)',
      '\t=1+1',
      '\r=1+1',
      '＝1+1',
      '정상 제목 = 그대로',
    ];
    const ids: string[] = [];
    for (const title of titles) ids.push(await openPetition(t.handle.db, { title: `${title}` }));
    try {
      const { rows } = await csv('/api/v1/petitions.csv?state=open&per_page=100');
      const byId = new Map(rows.map((r) => [r.id, r]));
      titles.forEach((title, i) => {
        const cell = byId.get(ids[i] as string)?.title;
        if (i === titles.length - 1) expect(cell).toBe(title);
        else expect(cell).toBe(`'${title}`);
      });
      // numbers stay numbers
      expect(byId.get(ids[0] as string)?.agreement_count).toBe('0');
    } finally {
      await t.handle.db.deleteFrom('petitions').where('id', 'in', ids).execute();
    }
  });

  it('takes the same filters as /petitions, caps the rows per request and refuses bad input', async () => {
    const { rows } = await csv('/api/v1/petitions.csv?category=pets&per_page=10000');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.category_code === 'pets')).toBe(true);
    expect((await json('/api/v1/petitions.csv?per_page=10001', 400)).error.details.fields).toHaveProperty(
      'per_page',
    );
    expect((await json('/api/v1/petitions.csv?q=a%00b', 400)).error.code).toBe('invalid_parameter');
    expect((await json('/api/v1/petitions.csv?format=xlsx', 400)).error.code).toBe('invalid_parameter');
  });
});

describe(`API rate limit (${TEST_ENGINE})`, () => {
  it('answers 429 with Retry-After and the standard error beyond the limit, per address (IPv6 by /64)', async () => {
    const app = createApp(t.site, undefined, { rateLimit: { points: 3, seconds: 60 } });
    const from = (address: string) => ({
      incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily: 'IPv6' } },
    });
    const call = (address: string) => app.request('/api/v1/categories', {}, from(address));
    for (let i = 0; i < 3; i++) {
      const ok = await call('2001:db8:1:2::a');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit-remaining')).toBe(String(2 - i));
    }
    const refused = await call('2001:db8:1:2:ffff::b'); // same /64
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as any;
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/at most 3 per 60 s/);
    expect((await call('2001:db8:1:3::a')).status).toBe(200); // another /64
    expect((await call('198.51.100.7')).status).toBe(200);
  });
});

/**
 * The contract: the OpenAPI document is valid, and every documented route, called with real ids from the seeded
 * database, answers in the documented shape — success and error responses alike.
 */
describe(`OpenAPI contract (${TEST_ENGINE})`, () => {
  it('every documented route answers every listed status in the documented shape', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const addFormats = (await import('ajv-formats')).default as unknown as (ajv: unknown) => void;
    const doc = await json('/api/v1/openapi.json');
    await SwaggerParser.validate(structuredClone(doc));
    const api = (await SwaggerParser.dereference(structuredClone(doc))) as any;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    // the schemas are strict enough to catch a wrong body
    const countSchema =
      api.paths['/petitions/{id}/count'].get.responses['200'].content['application/json'].schema;
    expect(ajv.validate(countSchema, { id: '1', count: 1 })).toBe(false);

    const draft = await openPetition(t.handle.db, { state: 'in_review' });
    // request → expected status, for every documented (path, status); routes without a listed case fail the test
    const cases: Record<string, Array<[string, number]>> = {
      '/petitions': [
        ['/petitions?q=n%EB%B2%88%EB%B0%A9&per_page=3', 200],
        ['/petitions?per_page=0', 400],
      ],
      '/petitions/{id}': [
        [`/petitions/${roomNId}`, 200],
        ['/petitions/x', 400],
        [`/petitions/${draft}`, 404],
      ],
      '/petitions.csv': [
        ['/petitions.csv?per_page=5', 200],
        ['/petitions.csv?sort=random', 400],
      ],
      '/petitions/{id}/count': [
        [`/petitions/${liveId}/count`, 200],
        ['/petitions/0/count', 400],
        ['/petitions/999999999/count', 404],
      ],
      '/petitions/{id}/agreements/by-day': [
        [`/petitions/${liveId}/agreements/by-day`, 200],
        ['/petitions/-1/agreements/by-day', 400],
        [`/petitions/${draft}/agreements/by-day`, 404],
      ],
      '/petitions/{id}/agreements/by-region': [
        [`/petitions/${liveId}/agreements/by-region`, 200],
        ['/petitions/1.5/agreements/by-region', 400],
        ['/petitions/999999999/agreements/by-region', 404],
      ],
      '/petitions/{id}/agreements/by-country': [
        [`/petitions/${liveId}/agreements/by-country`, 200],
        [`/petitions/${roomNId}/agreements/by-country`, 200],
        ['/petitions/1.5/agreements/by-country', 400],
        ['/petitions/999999999/agreements/by-country', 404],
      ],
      '/petitions/{id}/agreements/by-constituency': [
        [`/petitions/${liveId}/agreements/by-constituency`, 200],
        ['/petitions/x/agreements/by-constituency', 400],
        [`/petitions/${draft}/agreements/by-constituency`, 404],
      ],
      '/categories': [
        ['/categories?profile=assembly', 200],
        ['/categories?profile=x', 400],
      ],
      '/profiles/{profile}/settings': [
        ['/profiles/uk/settings', 200],
        ['/profiles/x/settings', 400],
      ],
      // this app has no dump directory: 503; the dump test covers 200
      '/dumps/latest.jsonl.gz': [['/dumps/latest.jsonl.gz', 503]],
      '/dumps/latest.sha256': [['/dumps/latest.sha256', 503]],
    };
    // statuses exercised elsewhere: 304 (count test above), 429 (rate-limit test), 200 of the dumps (dump test)
    const coveredElsewhere = new Set([
      'GET /petitions/{id}/count 304',
      'GET /dumps/latest.jsonl.gz 304',
      'GET /dumps/latest.jsonl.gz 200',
      'GET /dumps/latest.sha256 200',
    ]);

    const documented: string[] = [];
    const exercised = new Set<string>();
    for (const [path, item] of Object.entries<any>(api.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        // the transparency log's paths live at the site's root (their own `servers`), outside /api/v1: their
        // contract is test/tlog/log-http.test.ts
        if (operation.servers || item.servers) continue;
        for (const status of Object.keys(operation.responses))
          documented.push(`${method.toUpperCase()} ${path} ${status}`);
        expect(cases[path], `a contract case for ${path}`).toBeDefined();
        for (const [url, status] of cases[path] ?? []) {
          const res = await get(`/api/v1${url}`);
          expect(res.status, url).toBe(status);
          exercised.add(`${method.toUpperCase()} ${path} ${status}`);
          const response = operation.responses[String(status)];
          expect(response, `${url}: status ${status} is documented`).toBeDefined();
          const [type, media] = Object.entries<any>(response.content ?? {})[0] ?? [];
          expect(res.headers.get('content-type') ?? '', url).toContain(type);
          if (type !== 'application/json') continue;
          const validate = ajv.compile(media.schema);
          const body = await res.json();
          expect(validate(body), `${url}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        }
      }
    }
    const missing = documented.filter(
      (d) => !exercised.has(d) && !coveredElsewhere.has(d) && !d.endsWith(' 429'),
    );
    expect(missing).toEqual([]);
  });
});
