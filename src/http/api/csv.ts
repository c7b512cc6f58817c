import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import { type PetitionSummaryJson, presentPetitionSummary } from '../../presenters/petitions.js';
import { listPetitions } from '../../repositories/petitions.js';
import { listQuerySchema, toPetitionListQuery } from '../list-query.js';
import type { Site } from '../site.js';
import { errorResponse, RATE_LIMITED_RESPONSE } from './schemas.js';

/** Most rows one CSV request returns; more with `page`, everything with the daily dump. */
export const CSV_MAX_ROWS = 10_000;

/** The columns of the petition list CSV, in order (header row = these names). */
export const CSV_COLUMNS = [
  'id',
  'title',
  'profile',
  'category_code',
  'category_name',
  'state',
  'response_state',
  'agreement_count',
  'count_source',
  'count_final',
  'opened_at',
  'last_day',
  'closes_at',
  'closed_at',
  'url',
  'archive_source',
  'archive_source_id',
  'archive_url',
] as const;

const csvQuerySchema = listQuerySchema.extend({
  per_page: z.coerce
    .number()
    .int('per_page must be a whole number')
    .min(1, 'per_page is at least 1')
    .max(CSV_MAX_ROWS, `per_page is at most ${CSV_MAX_ROWS}`)
    .default(1000)
    .openapi({ type: 'integer', minimum: 1, maximum: CSV_MAX_ROWS, default: 1000, example: 1000 }),
});

const csvRoute = createRoute({
  method: 'get',
  path: '/petitions.csv',
  summary: 'Petition list as CSV (same filters as /petitions)',
  description:
    `The filters and order of \`GET /petitions\`; at most ${CSV_MAX_ROWS.toLocaleString('en')} rows per request ` +
    '(`per_page`, default 1,000; `page` for more; the daily dump has everything). UTF-8 with a byte-order mark so ' +
    'that Excel reads Korean; RFC 4180 quoting; `X-Total-Count` gives the number of matching petitions. Cells a ' +
    'spreadsheet would run as a formula (starting with = + - @, tab or carriage return, or their full-width forms) ' +
    'are prefixed with an apostrophe (OWASP CSV injection). Columns: ' +
    `${CSV_COLUMNS.join(', ')}. No body text, no per-signer data.`,
  request: { query: csvQuerySchema },
  responses: {
    200: {
      description: 'The CSV file (attachment)',
      headers: {
        'X-Total-Count': { description: 'Petitions matching the filters', schema: { type: 'integer' } },
      },
      content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    400: errorResponse('Bad query parameter'),
    429: RATE_LIMITED_RESPONSE,
  },
});

/** One CSV record of a presented petition summary, in `CSV_COLUMNS` order. */
function csvRecord(p: PetitionSummaryJson): Array<string | number | boolean | null> {
  return [
    p.id,
    p.title,
    p.profile,
    p.category?.code ?? null,
    p.category?.name ?? null,
    p.state,
    p.response_state,
    p.agreement_count,
    p.count_source,
    p.count_final,
    p.opened_at,
    p.last_day,
    p.closes_at,
    p.closed_at,
    p.url,
    p.archive?.source ?? null,
    p.archive?.source_id ?? null,
    p.archive?.url ?? null,
  ];
}

/**
 * Writes petition summaries as CSV: header row, UTF-8 BOM, CRLF (RFC 4180), and csv-stringify's `escape_formulas`
 * (cells starting with = + - @ tab CR or their full-width forms get a leading `'`; negative numbers stay numbers).
 */
export function petitionsCsv(rows: readonly PetitionSummaryJson[]): string {
  return stringify(rows.map(csvRecord), {
    bom: true,
    header: true,
    columns: [...CSV_COLUMNS],
    record_delimiter: 'windows',
    escape_formulas: true,
    cast: { boolean: (b) => (b ? 'true' : 'false') },
  });
}

/** Mounts `GET /petitions.csv`. */
export function registerCsvRoute(api: OpenAPIHono, site: Site): void {
  api.openapi(csvRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await listPetitions(site.db, toPetitionListQuery(q));
    const csv = petitionsCsv(page.rows.map((row) => presentPetitionSummary(row, site.profile(row.profile))));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="cheongwon-petitions.csv"');
    c.header('X-Total-Count', String(page.total));
    if (page.totalIsLowerBound) c.header('X-Total-Count-Is-Lower-Bound', 'true');
    return c.body(csv, 200);
  });
}
