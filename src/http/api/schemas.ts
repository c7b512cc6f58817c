import { z } from '@hono/zod-openapi';
import { RECORD_NUMBER } from '../../domain/record-numbers.js';

/**
 * The zod schemas of the public API's JSON bodies, shared by every route module of `/api/v1` and published as
 * OpenAPI components. Field names are snake_case; instants are UTC ISO-8601 strings; local dates 'YYYY-MM-DD'.
 * Changing a published field is a new API version: add fields, never rename or remove them.
 */

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_parameter' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

const CountSourceSchema = z.enum(['archive', 'live']).openapi({
  description:
    'archive: final total imported from a historic platform (no agreement rows behind it); live: counted here from confirmed agreements',
});

const ThresholdsSchema = z
  .array(
    z.object({
      kind: z.enum(['response', 'debate']).openapi({
        description:
          'response: obliges the profile’s answer (or committee referral); debate: UK debate consideration',
      }),
      agreements: z
        .number()
        .int()
        .openapi({ description: 'Agreements needed (the rule in force for this petition)' }),
      reached_at: z
        .string()
        .nullable()
        .openapi({ description: 'When the threshold was crossed (UTC); null: not reached' }),
    }),
  )
  .openapi('Thresholds');

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

export const PetitionSummarySchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    profile: z.string(),
    category: CategorySchema,
    state: z.string().openapi({ description: 'open | closed' }),
    response_state: z.string().openapi({ description: 'none | awaiting | answered' }),
    agreement_count: z.number().int().openapi({ description: 'Public agreement count' }),
    count_source: CountSourceSchema,
    count_final: z.boolean().nullable().openapi({
      description:
        'Archived totals only: false when the archive counted the petition before it closed (not its final total); null for live counts',
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

export const OfficialResponseSchema = z
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

export const PetitionSchema = PetitionSummarySchema.extend({
  body: z.string().nullable().openapi({
    description: 'null when the archive lacks it, or while the election-period switch withholds the category',
  }),
  withheld_reason: z.string().nullable().openapi({
    description: 'Why the text is withheld (election-period switch), or null',
  }),
  thresholds: ThresholdsSchema,
  response_due_at: z.string().nullable(),
  official_responses: z.array(OfficialResponseSchema),
  debate: z
    .object({
      state: z.enum(['none', 'awaiting', 'scheduled', 'debated', 'not_debated']),
      scheduled_on: z
        .string()
        .nullable()
        .openapi({ description: "Local date 'YYYY-MM-DD' of a scheduled debate" }),
      debated_on: z.string().nullable(),
      overview: z
        .string()
        .nullable()
        .openapi({ description: 'Summary of the debate, or why it was not debated' }),
      transcript_url: z.string().nullable(),
      video_url: z.string().nullable(),
      research_url: z.string().nullable(),
    })
    .nullable()
    .openapi({ description: 'UK debate track (profiles with a debate track), else null' }),
  committee: z
    .object({ state: z.enum(['none', 'referred', 'under_review', 'decided', 'ended_with_term']) })
    .nullable()
    .openapi({ description: 'National Assembly committee track (profiles with it), else null' }),
  timeline: z
    .array(
      z.object({
        track: z.enum(['debate', 'committee']),
        stage: z.string(),
        on: z.string().nullable(),
        committee: z.string().nullable(),
        note: z.string().nullable(),
        at: z.string(),
      }),
    )
    .openapi({ description: 'Public steps of the parliamentary track, oldest first' }),
}).openapi('Petition');

/** Error bodies every route may answer (429 from the API rate limit). */
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

export const RATE_LIMITED_RESPONSE = {
  ...errorResponse(
    'Too many requests from this client address (code rate_limited); the Retry-After header says how many seconds to wait',
  ),
  headers: {
    'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' as const } },
  },
};

/** Path parameter `{id}`: a petition number. */
export const PetitionIdParams = z.object({
  id: z
    .string()
    .regex(RECORD_NUMBER, 'id must be a petition number')
    .openapi({ param: { name: 'id', in: 'path' }, example: '1' }),
});

export const PetitionCountSchema = z
  .object({
    id: z.number().int(),
    count: z.number().int().openapi({ description: 'Public agreement count', example: 2715626 }),
    count_source: CountSourceSchema,
    state: z.string().openapi({ description: 'open | closed', example: 'closed' }),
    response_state: z.string().openapi({ description: 'none | awaiting | answered', example: 'answered' }),
    thresholds: ThresholdsSchema,
    closes_at: z.string().nullable().openapi({ description: 'Exclusive end of the period (UTC instant)' }),
    updated_at: z
      .string()
      .openapi({ description: 'When the petition (its count or state) last changed (UTC)' }),
  })
  .openapi('PetitionCount', {
    example: {
      id: 2214,
      count: 2715626,
      count_source: 'archive',
      state: 'closed',
      response_state: 'answered',
      thresholds: [{ kind: 'response', agreements: 200000, reached_at: null }],
      closes_at: '2020-04-17T15:00:00.000Z',
      updated_at: '2026-11-29T06:00:00.000Z',
    },
  });

export const AgreementsByDaySchema = z
  .object({
    petition_id: z.number().int(),
    time_zone: z
      .string()
      .openapi({ description: 'IANA zone the days are reckoned in (the profile’s)', example: 'Asia/Seoul' }),
    count_source: CountSourceSchema,
    data: z
      .array(
        z.object({
          day: z.string().openapi({ description: 'Local date YYYY-MM-DD', example: '2026-11-20' }),
          count: z.number().int().openapi({ description: 'Agreements confirmed that day' }),
        }),
      )
      .openapi({
        description: 'Days with at least one confirmed agreement, oldest first; empty for archived petitions',
      }),
  })
  .openapi('AgreementsByDay');

const AggregateSourceSchema = z.enum(['archive', 'agreements']).openapi({
  description:
    'archive: aggregates the historic platform published, imported as they were (no agreement rows behind them); agreements: counted here from confirmed agreement rows',
});

export const AgreementsByRegionSchema = z
  .object({
    petition_id: z.number().int(),
    count_source: CountSourceSchema,
    source: AggregateSourceSchema,
    data: z
      .array(
        z.object({
          region: z.string().nullable().openapi({
            description:
              'Region code (one of the 17 시·도, or overseas); null: none given. For an archived UK petition: the ONS region code the UK site gave (e.g. "A" North East)',
            example: 'seoul',
          }),
          name_ko: z.string().nullable().openapi({ example: '서울특별시' }),
          name_en: z.string().nullable().openapi({ example: 'Seoul' }),
          count: z.number().int(),
        }),
      )
      .openapi({
        description:
          'Regions with at least one confirmed agreement, in the official order of the 시·도, then overseas, then none given. For an archived petition: the regions its source published (UK), in the source\'s order, `source: "archive"`; empty for archives without them',
      }),
  })
  .openapi('AgreementsByRegion');

export const AreaCountsSchema = z
  .object({
    petition_id: z.number().int(),
    source: AggregateSourceSchema,
    scope: z.enum(['country', 'constituency']),
    data: z
      .array(
        z.object({
          code: z.string().openapi({
            description: 'ISO 3166 alpha-2 (country) or ONS code (constituency), as the source gave it',
            example: 'E14000530',
          }),
          name: z.string().openapi({ example: 'Aldershot' }),
          mp: z.string().nullable().openapi({
            description:
              "The constituency's MP when the source counted (a public office holder); null for countries",
          }),
          count: z.number().int(),
        }),
      )
      .openapi({
        description:
          "Signatures per country or per UK parliamentary constituency as an archived UK petition's source published them (imported aggregates, no agreement rows behind them), in the source's order; empty for every other petition (this platform records no country or constituency of its signers)",
      }),
  })
  .openapi('AreaCounts');

export const CategoriesSchema = z
  .object({
    profile: z.string().openapi({ example: 'cheongwadae' }),
    data: z.array(
      z.object({
        code: z.string().openapi({ example: 'human-rights-gender-equality' }),
        name_ko: z.string().openapi({ example: '인권/성평등' }),
        name_en: z.string().openapi({ example: 'Human rights & gender equality' }),
      }),
    ),
  })
  .openapi('Categories');

const DurationSchema = z
  .union([z.object({ days: z.number().int() }), z.object({ months: z.number().int() })])
  .openapi({ description: '{days} or {months}' });

export const ProfileSettingsSchema = z
  .object({
    profile: z.string().openapi({ example: 'cheongwadae' }),
    name_ko: z.string().openapi({ example: '청와대 국민청원' }),
    name_en: z.string(),
    time_zone: z.string().openapi({ example: 'Asia/Seoul' }),
    locale: z.enum(['ko', 'en']),
    archive_only: z.boolean().openapi({ description: 'true: the profile only holds imported records' }),
    consequences: z.object({
      response: z
        .string()
        .openapi({ description: 'official_response | committee_referral | government_response' }),
      debate: z.string().nullable().openapi({ description: 'debate_consideration, or null' }),
    }),
    settings: z
      .object({
        pre_agreement_threshold: z.number().int(),
        pre_agreement_period: DurationSchema.nullable(),
        agreement_period: DurationSchema,
        response_threshold: z.number().int(),
        debate_threshold: z.number().int().nullable(),
        response_deadline: z
          .object({ days: z.number().int(), from: z.enum(['close', 'threshold']) })
          .nullable(),
      })
      .openapi({
        description:
          'Effective settings (defaults with the runtime overrides); they apply to petitions published from now on — each petition keeps the thresholds of its time',
      }),
    sources: z.array(z.string()).openapi({ description: 'Where the rules come from' }),
  })
  .openapi('ProfileSettings');
