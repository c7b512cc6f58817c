import { createHash } from 'node:crypto';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { REGIONS } from '../../domain/identity.js';
import { isPublic } from '../../domain/petition-states.js';
import { findPlace } from '../../domain/places.js';
import { presentPetitionCount } from '../../presenters/petitions.js';
import {
  agreementsByDay,
  agreementsByRegion,
  archivedAreaCounts,
  findPetitionCount,
} from '../../repositories/open-data.js';
import { agreementsByConstituency } from '../../repositories/postcodes.js';
import { apiError } from '../errors.js';
import { SharedCache } from '../shared-cache.js';
import type { Site } from '../site.js';
import {
  AgreementsByDaySchema,
  AgreementsByRegionSchema,
  AreaCountsSchema,
  errorResponse,
  PetitionCountSchema,
  PetitionIdParams,
  RATE_LIMITED_RESPONSE,
} from './schemas.js';

/** How long the count endpoint tells caches (browsers, CDNs) to keep an answer, and to serve it stale meanwhile. */
export const COUNT_CACHE_CONTROL = 'public, max-age=2, stale-while-revalidate=10';

const countRoute = createRoute({
  method: 'get',
  path: '/petitions/{id}/count',
  summary: 'The live agreement count of one petition (tiny, cacheable; for counters and third parties)',
  description:
    'A few hundred bytes: count, state and thresholds. Answers carry `Cache-Control: public, max-age=2, ' +
    'stale-while-revalidate=10` and a strong `ETag`; send it back in `If-None-Match` to get `304 Not Modified`. ' +
    'Each app server reads a petition at most once a second, however many clients poll it.',
  request: { params: PetitionIdParams },
  responses: {
    200: {
      description: 'The counter',
      headers: {
        ETag: {
          description: 'Changes when the count, state or thresholds change',
          schema: { type: 'string' },
        },
        'Cache-Control': { description: COUNT_CACHE_CONTROL, schema: { type: 'string' } },
      },
      content: { 'application/json': { schema: PetitionCountSchema } },
    },
    304: { description: 'Not modified: the `If-None-Match` ETag is current' },
    400: errorResponse('Malformed id'),
    404: errorResponse('No such public petition'),
    429: RATE_LIMITED_RESPONSE,
  },
});

const byDayRoute = createRoute({
  method: 'get',
  path: '/petitions/{id}/agreements/by-day',
  summary: 'Confirmed agreements per day (aggregate; no per-signer data)',
  description:
    'Counts of confirmed agreements per local day of the petition’s policy profile (Asia/Seoul for the Korean ' +
    'profiles, Europe/London for uk), by the moment each agreement was confirmed. Archived petitions have no ' +
    'agreement rows behind their totals: their series is empty.',
  request: { params: PetitionIdParams },
  responses: {
    200: { description: 'The series', content: { 'application/json': { schema: AgreementsByDaySchema } } },
    400: errorResponse('Malformed id'),
    404: errorResponse('No such public petition'),
    429: RATE_LIMITED_RESPONSE,
  },
});

const byRegionRoute = createRoute({
  method: 'get',
  path: '/petitions/{id}/agreements/by-region',
  summary: 'Confirmed agreements per region (aggregate; no per-signer data)',
  description:
    'Counts of confirmed agreements per region the signers chose (optional on the form: one of the 17 시·도, ' +
    'overseas, or none). Archived petitions have no agreement rows: for a UK petition the answer is the regions ' +
    'its source published, marked `"source": "archive"` (imported aggregates); for other archives it is empty.',
  request: { params: PetitionIdParams },
  responses: {
    200: { description: 'The counts', content: { 'application/json': { schema: AgreementsByRegionSchema } } },
    400: errorResponse('Malformed id'),
    404: errorResponse('No such public petition'),
    429: RATE_LIMITED_RESPONSE,
  },
});

const areaRoute = (scope: 'country' | 'constituency') =>
  createRoute({
    method: 'get',
    path: `/petitions/{id}/agreements/by-${scope}`,
    summary: `Signatures per ${scope} of an archived UK petition (imported aggregate; no per-signer data)`,
    description:
      `The signatures per ${scope === 'country' ? 'country (ISO 3166 code)' : 'UK parliamentary constituency (ONS code, with its MP)'} ` +
      'that petition.parliament.uk published for the petition, imported as they were and marked `"source": ' +
      '"archive"`: no agreement rows stand behind them. Empty for every other petition.',
    request: { params: PetitionIdParams },
    responses: {
      200: { description: 'The counts', content: { 'application/json': { schema: AreaCountsSchema } } },
      400: errorResponse('Malformed id'),
      404: errorResponse('No such public petition'),
      429: RATE_LIMITED_RESPONSE,
    },
  });

/** One cached answer of the count endpoint: the serialised body and its ETag, or null for "no public petition". */
interface CountEntry {
  json: string;
  etag: string;
}

/**
 * A tiny in-process cache of count answers shared by all requests (a `SharedCache`): each petition is read from
 * the database at most once per `ttlMs` per app server (concurrent misses share one query), so a million clients
 * polling a counter cost the database one primary-key lookup a second. At most `maxEntries` petitions are kept
 * (oldest dropped first), so requests for random ids cannot grow it without bound.
 */
export class CountCache {
  readonly #cache: SharedCache<CountEntry | null>;

  /**
   * @param load reads one petition's answer (null: no public petition)
   * @param options ttlMs (default 1,000 ms; 0 = read every time), maxEntries (default 10,000), now (ms clock; default
   *   Date.now)
   */
  constructor(
    private readonly load: (id: string) => Promise<CountEntry | null>,
    options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {
    this.#cache = new SharedCache({
      ttlMs: options.ttlMs ?? 1000,
      maxEntries: options.maxEntries ?? 10_000,
      now: options.now ?? Date.now,
    });
  }

  /** The answer for petition `id` (null: no public petition). @throws the loader's errors */
  get(id: string): Promise<CountEntry | null> {
    return this.#cache.get(id, () => this.load(id));
  }
}

/** True when an `If-None-Match` header lists `etag` (or `*`); weak and strong forms compare equal (RFC 9110 §13.1.2). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === bare;
  });
}

const notFound = (c: Context, id: string) =>
  c.json(apiError('petition_not_found', `No public petition has the number ${id}.`), 404);

/** Official order of the regions (the 17 시·도, then overseas); null (none given) sorts last. */
const REGION_ORDER = new Map(REGIONS.map((r, i) => [r.code as string, i]));

/**
 * Mounts the count endpoint and the agreement aggregates on the API.
 * @param options.ttlMs lifetime of a cached count answer (ms; 0 = every request reads the database)
 */
export function registerCountRoutes(api: OpenAPIHono, site: Site, options: { ttlMs: number }): void {
  const cache = new CountCache(
    async (id) => {
      const row = await findPetitionCount(site.db, id);
      if (!row || !isPublic(row.state)) return null;
      const json = JSON.stringify(presentPetitionCount(row, site.profile(row.profile)));
      // strong: the same tag always means byte-identical bodies
      const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
      return { json, etag };
    },
    { ttlMs: options.ttlMs },
  );

  api.openapi(countRoute, async (c) => {
    const { id } = c.req.valid('param');
    const entry = await cache.get(id);
    if (!entry) return notFound(c, id);
    c.header('ETag', entry.etag);
    c.header('Cache-Control', COUNT_CACHE_CONTROL);
    if (ifNoneMatchHits(c.req.header('if-none-match'), entry.etag)) return c.body(null, 304);
    c.header('Content-Type', 'application/json');
    return c.body(entry.json, 200);
  });

  api.openapi(byDayRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await findPetitionCount(site.db, id);
    if (!row || !isPublic(row.state)) return notFound(c, id);
    const timeZone = site.profile(row.profile).timeZone;
    const days = await agreementsByDay(site.db, row.id, timeZone);
    c.header('Cache-Control', 'public, max-age=60');
    return c.json(
      {
        petition_id: Number(row.id),
        time_zone: timeZone,
        count_source: row.archived_agreement_count !== null ? ('archive' as const) : ('live' as const),
        data: days,
      },
      200,
    );
  });

  api.openapi(byRegionRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await findPetitionCount(site.db, id);
    if (!row || !isPublic(row.state)) return notFound(c, id);
    if (row.archived_agreement_count !== null) {
      // an archived petition has no agreement rows: what its source published per region, if anything
      const archived = await archivedAreaCounts(site.db, row.id, 'region');
      c.header('Cache-Control', 'public, max-age=60');
      return c.json(
        {
          petition_id: Number(row.id),
          count_source: 'archive' as const,
          source: 'archive' as const,
          data: archived.map((a) => ({ region: a.code, name_ko: null, name_en: a.name, count: a.count })),
        },
        200,
      );
    }
    const counts = await agreementsByRegion(site.db, row.id);
    const rank = (code: string | null) =>
      code === null ? REGIONS.length + 1 : (REGION_ORDER.get(code) ?? REGIONS.length);
    counts.sort((a, b) => rank(a.region) - rank(b.region));
    c.header('Cache-Control', 'public, max-age=60');
    return c.json(
      {
        petition_id: Number(row.id),
        count_source: 'live' as const,
        source: 'agreements' as const,
        data: counts.map(({ region, count }) => {
          const known =
            region === null ? undefined : findPlace(site.profile(row.profile).profile.places, region);
          return { region, name_ko: known?.ko ?? null, name_en: known?.en ?? null, count };
        }),
      },
      200,
    );
  });

  for (const scope of ['country', 'constituency'] as const) {
    api.openapi(areaRoute(scope), async (c) => {
      const { id } = c.req.valid('param');
      const row = await findPetitionCount(site.db, id);
      if (!row || !isPublic(row.state)) return notFound(c, id);
      const archived = row.archived_agreement_count !== null;
      // live petitions: their own signers, by constituency from the postcode table (UK) or by country (region)
      const counts = archived
        ? await archivedAreaCounts(site.db, row.id, scope)
        : scope === 'constituency'
          ? (await agreementsByConstituency(site.db, row.id)).map((a) => ({
              ...a,
              name: a.name ?? a.code,
              mp: null,
            }))
          : (await agreementsByRegion(site.db, row.id))
              .filter((r) => r.region !== null && /^[EWSN]\d{8}$/.test(r.region))
              .map((r) => {
                const place = findPlace('uk', r.region ?? '');
                return {
                  code: r.region as string,
                  name: place?.en ?? (r.region as string),
                  mp: null,
                  count: r.count,
                };
              });
      c.header('Cache-Control', 'public, max-age=60');
      return c.json(
        {
          petition_id: Number(row.id),
          source: archived ? ('archive' as const) : ('agreements' as const),
          scope,
          data: counts.map((a) => ({ code: a.code, name: a.name, mp: a.mp, count: a.count })),
        },
        200,
      );
    });
  }
}
