import { z } from '@hono/zod-openapi';
import { type PetitionState, PUBLIC_STATES } from '../domain/petition-states.js';
import { PROFILES } from '../domain/policy-profiles.js';
import { PUBLIC_LIST_FILTERS, PUBLIC_LISTS } from '../domain/public-lists.js';
import { parseSearchQuery } from '../domain/search-text.js';
import { PETITION_SORTS, type PetitionListQuery, type PetitionSort } from '../repositories/petitions.js';

/** Every category code of every profile (an archive may hold petitions of several profiles). */
const CATEGORY_CODES = new Set(Object.values(PROFILES).flatMap((p) => p.categories.map((c) => c.code)));

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const noControlCharacters = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);

/**
 * A search whose terms are all shorter than this is looked up in titles only: the bigram index cannot serve a single
 * character, and scanning every body for one would take seconds on a national archive.
 */
export const MIN_BODY_SEARCH_LENGTH = 2;

const listQueryShape = {
  q: z
    .string()
    .max(100, 'search text is limited to 100 characters')
    .refine(noControlCharacters, 'search text must not contain control characters')
    // the repository puts it in the search form (domain/search-text.ts: NFKC, lower case, spaces), as the text is
    .transform((s) => s.trim())
    .optional()
    .openapi({
      description:
        'Words searched in titles and bodies, in any order (every word must occur), case-insensitive; ' +
        '"quoted phrases" are kept together; a number also finds the petition with that number and archived ' +
        `petitions with that source number, first. Words all shorter than ${MIN_BODY_SEARCH_LENGTH} characters ` +
        'are searched in titles only. Results are ranked (title, phrase, then agreements); counts stop at 10,000 ' +
        '(`meta.total_is_lower_bound`).',
      example: 'n번방 신상공개',
    }),
  source: z
    .string()
    .regex(/^[a-z][a-z-]{0,19}$/, 'source is an archive name such as cwd, assembly, uk or wtp')
    .optional()
    .openapi({
      description:
        'With source_id: the archived petition of this source (cwd = 청와대 국민청원, cwd-list, assembly, uk, wtp, ' +
        'cheongwon)',
      example: 'cwd',
    }),
  source_id: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'source_id is the number (or key) the petition had on its source')
    .optional()
    .openapi({ description: "With source: the petition's number on its original site", example: '586819' }),
  state: z
    .enum(PUBLIC_LISTS)
    .optional()
    .openapi({
      description:
        'Only petitions in this list (default: open and closed): open, closed, rejected (with their reason), ' +
        'awaiting_response, with_response, awaiting_debate, debate_scheduled, debated, not_debated',
    }),
  category: z
    .string()
    .refine((code) => CATEGORY_CODES.has(code), 'no category has this code')
    .optional()
    .openapi({
      description: 'Category code (see the policy profile)',
      example: 'human-rights-gender-equality',
    }),
  answered: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: only petitions with an official response; false: only those without' }),
  sort: z.enum(PETITION_SORTS).optional().openapi({
    description:
      'Order (default: relevance when q is given, otherwise agreements). closing lists open petitions only.',
  }),
  page: z.coerce
    .number()
    .int('page must be a whole number')
    .min(1, 'page starts at 1')
    .max(10_000, 'page is at most 10000')
    .default(1)
    .openapi({ type: 'integer', minimum: 1, maximum: 10_000, default: 1, example: 1 }),
  per_page: z.coerce
    .number()
    .int('per_page must be a whole number')
    .min(1, 'per_page is at least 1')
    .max(100, 'per_page is at most 100')
    .default(20)
    .openapi({ type: 'integer', minimum: 1, maximum: 100, default: 20, example: 20 }),
};

/**
 * Query parameters of `GET /api/v1/petitions`: unknown parameters are refused (400 `invalid_parameter`), so a
 * client's typo never silently returns unfiltered data.
 */
export const listQuerySchema = z.object(listQueryShape).strict();

/**
 * The same parameters on HTML pages, where unknown ones (utm_source, fbclid … added by whoever shared the link)
 * are ignored rather than breaking the page.
 */
export const pageQuerySchema = z.object(listQueryShape);

export type ListQuery = z.infer<typeof listQuerySchema>;

/**
 * Summary of zod issues for the API ('page: page starts at 1') and the fields at fault; pages name the fields in
 * their own language (`parameter.*` messages of src/i18n).
 */
export function describeIssues(error: z.ZodError): {
  message: string;
  fields: Record<string, string>;
} {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : 'query');
    fields[key] = issue.code === 'unrecognized_keys' ? 'unknown parameter' : issue.message;
  }
  const message = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  return { message, fields };
}

/** True when every term of a search is shorter than `MIN_BODY_SEARCH_LENGTH` (then titles only are searched). */
function titlesOnly(q: string): boolean {
  return (parseSearchQuery(q)?.terms ?? []).every((term) => [...term].length < MIN_BODY_SEARCH_LENGTH);
}

/**
 * The repository query for list parameters, the same for pages and API.
 * @param defaultSort order when `sort` is absent (default: relevance with a search text, otherwise agreements)
 */
export function toPetitionListQuery(q: ListQuery, defaultSort?: PetitionSort): PetitionListQuery {
  const sort = q.sort ?? defaultSort ?? (q.q ? 'relevance' : 'agreements');
  const list = q.state ? PUBLIC_LIST_FILTERS[q.state] : undefined;
  const states: readonly PetitionState[] = list ? list.states : PUBLIC_STATES;
  return {
    // "ending soon" only means something for petitions still open
    states: sort === 'closing' ? states.filter((s) => s === 'open') : states,
    category: q.category,
    text: q.q || undefined,
    titlesOnly: q.q ? titlesOnly(q.q) : undefined,
    archive: q.source && q.source_id ? { source: q.source, sourceId: q.source_id } : undefined,
    answered: q.answered === undefined ? undefined : q.answered === 'true',
    responseStates: list?.responseStates,
    debateStates: list?.debateStates,
    sort,
    page: q.page,
    perPage: q.per_page,
  };
}
