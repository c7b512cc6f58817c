import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { findPetition, listPetitions, responsesForPetition } from '../../repositories/petitions.js';
import { apiError } from '../errors.js';
import { describeIssues, listQuerySchema, PUBLIC_LIST_STATES, toPetitionListQuery } from '../list-query.js';
import { presentPetition, presentPetitionSummary } from '../presenters.js';
import type { Site } from '../site.js';

const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_parameter' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

const CategorySchema = z.object({ code: z.string(), name: z.string() }).nullable();
const ArchiveSchema = z
  .object({
    source: z.string(),
    source_id: z.string(),
    source_state: z.string().nullable(),
    url: z.string().nullable(),
  })
  .nullable()
  .openapi({ description: 'Provenance of an imported (archived) petition; null for petitions created here' });

const PetitionSummarySchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    profile: z.string(),
    category: CategorySchema,
    state: z.string().openapi({ description: 'open | closed' }),
    response_state: z.string().openapi({ description: 'none | awaiting | answered' }),
    agreement_count: z.number().int().openapi({ description: 'Public agreement count' }),
    count_source: z.enum(['archive', 'live']).openapi({
      description: 'archive: final total imported from a historic platform (no signer rows behind it)',
    }),
    opened_at: z.string().nullable(),
    last_day: z
      .string()
      .nullable()
      .openapi({ description: 'Last day of the period, local date (YYYY-MM-DD)' }),
    closes_at: z.string().nullable().openapi({ description: 'Exclusive end of the period (UTC instant)' }),
    closed_at: z.string().nullable(),
    url: z.string(),
    archive: ArchiveSchema,
  })
  .openapi('PetitionSummary');

const OfficialResponseSchema = z
  .object({
    id: z.number().int(),
    summary: z.string().nullable(),
    body: z.string(),
    responder_name: z.string().nullable(),
    responder_title: z.string().nullable(),
    video_url: z.string().nullable(),
    published_at: z.string().nullable(),
  })
  .openapi('OfficialResponse');

const PetitionSchema = PetitionSummarySchema.extend({
  body: z.string().nullable(),
  thresholds: z.array(
    z.object({
      kind: z.enum(['response', 'debate']),
      agreements: z.number().int(),
      reached_at: z.string().nullable(),
    }),
  ),
  response_due_at: z.string().nullable(),
  official_responses: z.array(OfficialResponseSchema),
}).openapi('Petition');

const listRoute = createRoute({
  method: 'get',
  path: '/petitions',
  summary: 'List and search petitions',
  request: { query: listQuerySchema },
  responses: {
    200: {
      description: 'A page of petitions',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(PetitionSummarySchema),
            meta: z.object({ page: z.number().int(), per_page: z.number().int(), total: z.number().int() }),
          }),
        },
      },
    },
    400: { description: 'Bad query parameter', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/petitions/{id}',
  summary: 'One petition with its official response(s)',
  request: {
    params: z.object({
      id: z
        .string()
        .regex(/^[1-9][0-9]{0,15}$/, 'id must be a petition number')
        .openapi({ param: { name: 'id', in: 'path' }, example: '1' }),
    }),
  },
  responses: {
    200: { description: 'The petition', content: { 'application/json': { schema: PetitionSchema } } },
    400: { description: 'Malformed id', content: { 'application/json': { schema: ErrorSchema } } },
    404: { description: 'No such public petition', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

/** `GET /api/v1/…`: the public read API, described by the OpenAPI document at `/api/v1/openapi.json`. */
export function apiV1(site: Site): OpenAPIHono {
  const api = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const { message, fields } = describeIssues(result.error);
        return c.json(apiError('invalid_parameter', message, { fields }), 400);
      }
    },
  });

  api.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await listPetitions(site.db, toPetitionListQuery(q));
    return c.json(
      {
        data: page.rows.map((row) => presentPetitionSummary(row, site.profile(row.profile))),
        meta: { page: q.page, per_page: q.per_page, total: page.total },
      },
      200,
    );
  });

  api.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await findPetition(site.db, id);
    if (!row || !(PUBLIC_LIST_STATES as readonly string[]).includes(row.state)) {
      return c.json(apiError('petition_not_found', `No public petition has the number ${id}.`), 404);
    }
    const responses = await responsesForPetition(site.db, row.id);
    return c.json(presentPetition(row, responses, site.profile(row.profile)), 200);
  });

  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Cheongwon public API',
      version: '1.0.0',
      description:
        'Read-only open data of the Cheongwon e-petition platform. No per-signer data is ever published. ' +
        'Errors are `{ "error": { "code", "message", "details"? } }` with a stable code.',
    },
    servers: [{ url: '/api/v1' }],
  });

  return api;
}
