import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { withheldReason } from '../../domain/moderation.js';
import { isPublic } from '../../domain/petition-states.js';
import { presentPetition, presentPetitionSummary } from '../../presenters/petitions.js';
import { loadModerationSettings } from '../../repositories/moderation-settings.js';
import {
  findPublicPetition,
  listPetitions,
  responsesForPetition,
  SEARCH_COUNT_CAP,
} from '../../repositories/petitions.js';
import { debateOutcome, scheduledDebateOn, trackEvents } from '../../repositories/tracks.js';
import type { RateSpec } from '../../signing/rate-limits.js';
import { apiError } from '../errors.js';
import { describeIssues, listQuerySchema, toPetitionListQuery } from '../list-query.js';
import type { Site } from '../site.js';
import { registerCountRoutes } from './counts.js';
import { registerCsvRoute } from './csv.js';
import { registerDumpRoutes } from './dumps.js';
import { registerLogDocs } from './log-docs.js';
import { registerProfileRoutes } from './profiles.js';
import { apiRateLimit, DEFAULT_API_RATE_LIMIT } from './rate-limit.js';
import {
  errorResponse,
  PetitionIdParams,
  PetitionSchema,
  PetitionSummarySchema,
  RATE_LIMITED_RESPONSE,
} from './schemas.js';

/** Deployment options of the open-data API. */
export interface ApiOptions {
  /** Requests per client address (IPv6 by /64); default 600 per 60 s (RATE_LIMIT_API). */
  rateLimit?: RateSpec;
  /** Directory holding the daily dump (`cheongwon serve` writes it); null/absent: the dump routes answer 503. */
  dumpDir?: string | null;
  /** How long the count endpoint's in-process cache keeps an answer (ms; default 1,000; 0 = no cache). */
  countCacheMs?: number;
}

const listRoute = createRoute({
  method: 'get',
  path: '/petitions',
  summary: 'List and search petitions; find an archived petition by its source number (source, source_id)',
  request: { query: listQuerySchema },
  responses: {
    200: {
      description: 'A page of petitions',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(PetitionSummarySchema),
            meta: z.object({
              page: z.number().int(),
              per_page: z.number().int(),
              total: z
                .number()
                .int()
                .openapi({
                  description: `Matching petitions over all pages; a search counts at most ${SEARCH_COUNT_CAP.toLocaleString('en')}`,
                }),
              total_is_lower_bound: z.boolean().openapi({
                description: `true when a search found more than ${SEARCH_COUNT_CAP.toLocaleString('en')} petitions: total is then that cap ("${SEARCH_COUNT_CAP.toLocaleString('en')}+")`,
              }),
            }),
          }),
        },
      },
    },
    400: errorResponse('Bad query parameter'),
    429: RATE_LIMITED_RESPONSE,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/petitions/{id}',
  summary: 'One petition with its official response(s)',
  request: { params: PetitionIdParams },
  responses: {
    200: { description: 'The petition', content: { 'application/json': { schema: PetitionSchema } } },
    400: errorResponse('Malformed id'),
    404: errorResponse('No such public petition'),
    429: RATE_LIMITED_RESPONSE,
  },
});

/** `GET /api/v1/…`: the public read API, described by the OpenAPI document at `/api/v1/openapi.json`. */
export function apiV1(site: Site, options: ApiOptions = {}): OpenAPIHono {
  const api = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const { message, fields } = describeIssues(result.error);
        return c.json(apiError('invalid_parameter', message, { fields }), 400);
      }
    },
  });

  api.use('*', apiRateLimit(options.rateLimit ?? DEFAULT_API_RATE_LIMIT));

  api.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    if ((q.source === undefined) !== (q.source_id === undefined)) {
      const field = q.source === undefined ? 'source' : 'source_id';
      return c.json(
        apiError('invalid_parameter', `${field}: source and source_id go together`, {
          fields: { [field]: 'source and source_id go together' },
        }),
        400,
      );
    }
    const page = await listPetitions(site.db, toPetitionListQuery(q));
    return c.json(
      {
        data: page.rows.map((row) => presentPetitionSummary(row, site.profile(row.profile))),
        meta: {
          page: q.page,
          per_page: q.per_page,
          total: page.total,
          total_is_lower_bound: page.totalIsLowerBound,
        },
      },
      200,
    );
  });

  api.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await findPublicPetition(site.db, id);
    if (!row || !isPublic(row.state)) {
      return c.json(apiError('petition_not_found', `No public petition has the number ${id}.`), 404);
    }
    const [responses, settings] = await Promise.all([
      responsesForPetition(site.db, row.id),
      loadModerationSettings(site.db, row.profile),
    ]);
    const withheld = withheldReason(settings, row.category);
    const profile = site.profile(row.profile);
    const [events, outcome, scheduledOn] = await Promise.all([
      trackEvents(site.db, row.id),
      debateOutcome(site.db, row.id),
      scheduledDebateOn(site.db, row.id),
    ]);
    const tracks = { tracks: profile.profile.tracks, events, outcome, scheduledOn };
    return c.json(presentPetition(row, responses, profile, withheld, tracks), 200);
  });

  registerCsvRoute(api, site);
  registerCountRoutes(api, site, { ttlMs: options.countCacheMs ?? 1000 });
  registerProfileRoutes(api, site);
  registerDumpRoutes(api, options.dumpDir ?? null);
  registerLogDocs(api);

  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Cheongwon public API',
      version: '1.0.0',
      description:
        'Read-only open data of the Cheongwon e-petition platform. No per-signer data is ever published. ' +
        'Errors are `{ "error": { "code", "message", "details"? } }` with a stable code. Every client address ' +
        '(IPv6 by /64) may make a limited number of requests per window (default 600 per 60 s); beyond it the ' +
        'answer is 429 `rate_limited` with `Retry-After`. Counts are aggregates only. Schema changes are ' +
        'additive within v1.',
    },
    servers: [{ url: '/api/v1' }],
  });

  return api;
}
