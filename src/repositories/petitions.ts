import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Database, OfficialResponseRow, PetitionRow } from '../db/schema.js';
import { withTitleWithheld } from '../domain/moderation.js';
import {
  ANSWERED_RESPONSE_STATES,
  type PetitionState,
  type ResponseState,
} from '../domain/petition-states.js';
import type { DebateState } from '../domain/response-track.js';
import { gramsQuery, parseSearchQuery, type SearchQuery } from '../domain/search-text.js';

/** Anything that runs queries: the database or an open transaction. */
export type Executor = Kysely<Database>;

/** Orders a petition list can take. */
export const PETITION_SORTS = ['agreements', 'newest', 'closing', 'answered', 'relevance'] as const;
export type PetitionSort = (typeof PETITION_SORTS)[number];

export interface PetitionListQuery {
  /** Only petitions in these states (callers pass public states for public lists); none → an empty page. */
  states: readonly PetitionState[];
  /** Category code within the petition's profile. */
  category?: string | undefined;
  /**
   * What a citizen typed (`parseSearchQuery` reads it: words in any order, "quoted phrases", a number). Every term
   * must occur in the title or the body, compared in the search form of `domain/search-text.ts`.
   */
  text?: string | undefined;
  /** Search `text` in titles only (for terms all too short for the trigram index). */
  titlesOnly?: boolean | undefined;
  /** true: only petitions with an official response; false: only those without. */
  answered?: boolean | undefined;
  /** Only petitions whose response track is in these states (domain/public-lists.ts). */
  responseStates?: readonly ResponseState[] | undefined;
  /** Only petitions whose debate track is in these states (domain/public-lists.ts). */
  debateStates?: readonly DebateState[] | undefined;
  /** Only the archived petition with this source number (`archive_source`, `archive_source_id`: 'cwd', '586819'). */
  archive?: { source: string; sourceId: string } | undefined;
  sort: PetitionSort;
  /** 1-based page number. */
  page: number;
  /** Rows per page (1–100). */
  perPage: number;
}

/**
 * A search counts its matches up to this many; beyond it the total is said as "1,000+" (`totalIsLowerBound`).
 * Counting is reading: each match is a row (and, for a word longer than two characters, its document) read, so
 * the cap bounds a search's work. 10,000 cost a national archive ~0.3–1 s per common search (BENCHMARKS.md).
 */
export const SEARCH_COUNT_CAP = 1_000;

/**
 * Up to this many matches every tier is computed for every match (the body tiers read every matching body); with
 * more, the title tiers come first and body-only matches follow by agreements (see `listPetitions`).
 */
export const RANK_ALL_LIMIT = 1_000;

export interface PetitionPage {
  rows: PetitionRow[];
  /** Number of petitions matching the filters, over all pages (for a search: at most `SEARCH_COUNT_CAP`). */
  total: number;
  /** True when a search found more than `SEARCH_COUNT_CAP` petitions and `total` is that cap, not the count. */
  totalIsLowerBound: boolean;
}

/** Escapes LIKE metacharacters so a user's `%` or `_` is searched literally (escape character `\`). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of petitions matching `query`, with the total count.
 *
 * Text search (`query.text`, read by `parseSearchQuery`): every term occurs in the title or the body
 * (`search_document`), in any order; a quoted phrase is one term. The bigram index (`search_grams`, GIN) finds the
 * candidates and the exact comparison (LIKE on the search form) decides. With sort 'relevance' the order is, tier by
 * tier: the petition whose local number or source number (Blue House, Assembly, UK, We the People) is the query;
 * the title equal to the query; the phrase (terms as typed, or written together: `n 번방` → `n번방`) in the title;
 * every term in the title; the phrase in the body; the terms in order within 30 characters of each other; the
 * rest — then by agreements. A number also finds its petitions when no text matches.
 *
 * A search counts its matches up to `SEARCH_COUNT_CAP` (an exact count of a common word over a national archive
 * would take seconds). With more than `RANK_ALL_LIMIT` matches the number and the exact title still come first, then
 * the title tiers ranked among the most agreed title matches (`titleTiers`), and the petitions matching in the body
 * only follow by agreements (ranking every body of a word in 40 % of a national archive is what would be slow);
 * pages past the cap are empty. Ties are broken by id (newest first) so pages are stable. Petitions of categories
 * withheld by the election-period switch (moderation_settings) are left out.
 * @returns the page's rows (whole petition rows), the number of matching petitions over all pages and whether it is
 *   a lower bound; an empty page when `query.states` is empty or the text holds nothing searchable
 */
export async function listPetitions(db: Executor, query: PetitionListQuery): Promise<PetitionPage> {
  const page = await listPetitionRows(db, query);
  // public lists only: a title withheld by its rejection reason is never listed (withTitleWithheld)
  return { ...page, rows: page.rows.map(withTitleWithheld) };
}

async function listPetitionRows(db: Executor, query: PetitionListQuery): Promise<PetitionPage> {
  const search = query.text ? parseSearchQuery(query.text) : null;
  if (query.states.length === 0 || (query.text && !search)) {
    return { rows: [], total: 0, totalIsLowerBound: false };
  }
  let base = db
    .selectFrom('petitions')
    .where('state', 'in', [...query.states])
    // the election-period switch withholds whole categories of a profile from every list (their pages say why)
    .where(
      sql<boolean>`not exists (select 1 from moderation_settings ms where ms.profile = petitions.profile
        and ms.election_active and petitions.category = any (ms.election_categories))`,
    );
  if (query.category) base = base.where('category', '=', query.category);
  if (query.answered !== undefined) {
    base = base.where('response_state', query.answered ? 'in' : 'not in', [...ANSWERED_RESPONSE_STATES]);
  }
  if (query.responseStates) base = base.where('response_state', 'in', [...query.responseStates]);
  if (query.debateStates) base = base.where('debate_state', 'in', [...query.debateStates]);
  if (query.archive) {
    base = base
      .where('archive_source', '=', query.archive.source)
      .where('archive_source_id', '=', query.archive.sourceId);
  }
  const offset = (query.page - 1) * query.perPage;
  if (!search) {
    const [rows, counted] = await Promise.all([
      orderRows(base.selectAll(), query.sort).limit(query.perPage).offset(offset).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(counted.n), totalIsLowerBound: false };
  }

  const byNumber = search.number
    ? sql<boolean>`(petitions.id = ${search.number}::bigint or petitions.archive_source_id = ${search.number})`
    : null;
  const inTitle = searchMatches(search, 'title');
  const found = query.titlesOnly ? inTitle : searchMatches(search, 'document');
  const matching = base.where(byNumber ? sql<boolean>`(${found} or ${byNumber})` : found);
  // relevance, first pass: up to SEARCH_COUNT_CAP + 1 matches with their tier read from titles only — the count,
  // and for one term (or titles only), where no body tier can reorder them, the page itself
  const titleTier = relevanceTier(search, byNumber, false);
  const firstPass =
    query.sort === 'relevance'
      ? await db
          .selectFrom(
            matching
              .select(['petitions.id', 'petitions.public_count', titleTier.as('tier')])
              .limit(SEARCH_COUNT_CAP + 1)
              .as('m'),
          )
          .select(['m.id', sql<string>`count(*) over ()`.as('n')])
          .orderBy('m.tier')
          .orderBy('m.public_count', 'desc')
          .orderBy('m.id', 'desc')
          .limit(query.perPage)
          .offset(offset)
          .execute()
      : [];
  const n =
    firstPass.length > 0
      ? Number(firstPass[0]?.n)
      : Number(
          (
            await db
              .selectFrom(
                matching
                  .select(sql`1`.as('one'))
                  .limit(SEARCH_COUNT_CAP + 1)
                  .as('m'),
              )
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
  const capped = n > SEARCH_COUNT_CAP;
  const total = capped ? SEARCH_COUNT_CAP : n;
  const page = (rows: PetitionRow[]) => ({ rows, total, totalIsLowerBound: capped });
  if (query.sort !== 'relevance') {
    return page(
      await orderRows(matching.selectAll(), query.sort).limit(query.perPage).offset(offset).execute(),
    );
  }
  if (n <= RANK_ALL_LIMIT && (search.terms.length === 1 || query.titlesOnly)) {
    const ids = firstPass.map((r) => r.id);
    if (ids.length === 0) return page([]);
    const rows = await db.selectFrom('petitions').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return page(ids.flatMap((id) => byId.get(id) ?? []));
  }
  if (n <= RANK_ALL_LIMIT) {
    const rows = await matching
      .selectAll()
      .orderBy(relevanceTier(search, byNumber, true))
      .orderBy('public_count', 'desc')
      .orderBy('id', 'desc')
      .limit(query.perPage)
      .offset(offset)
      .execute();
    return page(rows);
  }
  // many matches: the title tiers, ranked among a bounded set of candidates, then body-only matches by agreements
  if (offset >= SEARCH_COUNT_CAP) return page([]);
  const titled = await titleTiers(db, base, search, byNumber, inTitle, offset + query.perPage);
  if (titled.length === offset + query.perPage) return page(titled.slice(offset));
  const fromBodies = await base
    .where(found)
    .where(sql<boolean>`not ${inTitle}`)
    .selectAll()
    .orderBy('public_count', 'desc')
    .orderBy('id', 'desc')
    .limit(query.perPage - Math.max(0, titled.length - offset))
    .offset(Math.max(0, offset - titled.length))
    .execute();
  return page([...titled.slice(offset), ...fromBodies]);
}

/**
 * Of a search with many matches (more than `RANK_ALL_LIMIT`), the most agreed title matches that are ranked by
 * tier: with several terms, the phrase in a title ranks above the words apart only among these many.
 */
export const TITLE_CANDIDATES = 200;

/**
 * The first `limit` title-tier matches of a search with many matches (more than `RANK_ALL_LIMIT`), in relevance
 * order: the petitions with the query's number and the title equal to the query (index lookups: the primary key,
 * `archive_source_id`, the hash index on `search_title`), then the most agreed petitions holding every term in
 * the title — `limit` of them for one term (all in one tier), `TITLE_CANDIDATES` for several, ranked by tier
 * (phrase in the title above words apart) — then agreements. Bounding the candidates is what keeps a common word
 * fast: ranking every title that holds it reads tens of thousands of rows (0.5 s at 200,000 petitions, shared
 * machine), while the most agreed ones are read in agreement order (index `petitions_public_count`) until enough
 * are found. A title with the phrase beyond the `TITLE_CANDIDATES` most agreed title matches is ranked with them
 * by agreements rather than above them.
 */
async function titleTiers(
  db: Executor,
  base: SelectQueryBuilder<Database, 'petitions', object>,
  search: SearchQuery,
  byNumber: RawBuilder<boolean> | null,
  inTitle: RawBuilder<boolean>,
  limit: number,
): Promise<PetitionRow[]> {
  const firsts = base
    .where(
      byNumber
        ? sql<boolean>`(${byNumber} or search_title = ${search.text})`
        : sql<boolean>`search_title = ${search.text}`,
    )
    .select('petitions.id');
  const candidates = base
    .where(inTitle)
    .select('petitions.id')
    .orderBy('public_count', 'desc')
    .orderBy('id', 'desc')
    // one term: every title holding it is in the same tier, so the most agreed `limit` of them are the page
    .limit(search.terms.length === 1 ? limit : Math.max(limit, TITLE_CANDIDATES));
  return db
    .selectFrom('petitions')
    .selectAll()
    .where(
      sql<boolean>`petitions.id in (select id from (${candidates}) as c union all select id from (${firsts}) as f)`,
    )
    .orderBy(relevanceTier(search, byNumber, false))
    .orderBy('public_count', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Orders a list by one of the non-relevance sorts (relevance without a text: agreements), ties by id. */
function orderRows<Q extends SelectQueryBuilder<Database, 'petitions', PetitionRow>>(
  q: Q,
  sort: PetitionSort,
): Q {
  let ordered: SelectQueryBuilder<Database, 'petitions', PetitionRow> = q;
  switch (sort) {
    case 'relevance':
    case 'agreements':
      ordered = ordered.orderBy('public_count', 'desc');
      break;
    case 'newest':
      ordered = ordered.orderBy('opened_at', (ob) => ob.desc().nullsLast());
      break;
    case 'closing':
      ordered = ordered.orderBy('closes_at', (ob) => ob.asc().nullsLast());
      break;
    case 'answered':
      ordered = ordered.orderBy('answered_at', (ob) => ob.desc().nullsLast()).orderBy('closes_at', 'desc');
      break;
  }
  return ordered.orderBy('id', 'desc') as Q;
}

/**
 * Every term of `search` occurs in the title (`search_title`) or in title and body (`search_document`): the
 * bigram index narrows (`search_title_grams` / `search_grams` @@ every bigram of the terms), LIKE decides.
 */
function searchMatches(search: SearchQuery, where: 'title' | 'document'): RawBuilder<boolean> {
  const column = where === 'title' ? 'search_title' : 'search_document';
  const grams = gramsQuery(search.terms);
  // a term of two characters without a space is one bigram: the index alone is exact for it (no body is read)
  const exact = search.terms
    .filter((term) => !(grams && [...term].length === 2 && !term.includes(' ')))
    .map((term) => sql`${sql.ref(column)} like ${likePattern(term)}`);
  const index = grams
    ? [sql`${sql.ref(where === 'title' ? 'search_title_grams' : 'search_grams')} @@ ${grams}::tsquery`]
    : [];
  return sql<boolean>`(${sql.join([...index, ...exact], sql` and `)})`;
}

/**
 * Of these (petition, search text) pairs, the petitions that the search would NOT find by its text (the match of
 * `listPetitions` over title and body, ignoring state and order): the check that every title finds its own
 * petition, run over a whole archive a batch at a time.
 * @returns the ids (decimal) of the pairs that do not match, in input order
 */
export async function petitionsNotMatching(
  db: Executor,
  pairs: ReadonlyArray<{ id: string; text: string }>,
): Promise<string[]> {
  const checks = pairs.map(({ id, text }) => {
    const search = parseSearchQuery(text);
    const match = search ? searchMatches(search, 'document') : sql`false`;
    return sql`(${id}::bigint, exists (select 1 from petitions where petitions.id = ${id}::bigint and ${match}))`;
  });
  if (checks.length === 0) return [];
  const rows = await sql<{ id: string }>`select v.id::text as id from (values ${sql.join(checks)}) as v(id, m)
    where not v.m`.execute(db);
  return rows.rows.map((r) => r.id);
}

/**
 * The relevance tier of a match (0 first), as described on `listPetitions`.
 * @param bodies false: the body tiers (phrase, nearness) are not computed (they read every matching body)
 */
function relevanceTier(search: SearchQuery, byNumber: RawBuilder<boolean> | null, bodies: boolean) {
  const phrase = likePattern(search.phrase);
  const compact = likePattern(search.compact);
  const allInTitle = sql.join(
    search.terms.map((term) => sql`search_title like ${likePattern(term)}`),
    sql` and `,
  );
  const near =
    bodies && search.terms.length > 1
      ? sql`search_document ~ ${search.terms.map(escapeRegExp).join('.{0,30}')}`
      : sql`false`;
  return sql`case
    when ${byNumber ?? sql`false`} then 0
    when search_title = ${search.text} then 1
    when search_title like ${phrase} or search_title like ${compact} then 2
    when ${allInTitle} then 3
    when ${bodies ? sql`search_document like ${phrase} or search_document like ${compact}` : sql`false`} then 4
    when ${near} then 5
    else 6 end`;
}

/** `text` as a POSIX regular expression matching itself literally. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The petition with this id as public pages and the API may show it (`withTitleWithheld`: a title a rejection
 * reason withheld is ''), or undefined.
 */
export async function findPublicPetition(db: Executor, id: string): Promise<PetitionRow | undefined> {
  const row = await findPetition(db, id);
  return row ? withTitleWithheld(row) : undefined;
}

/**
 * The reject reason behind a rejected petition's public text (its latest rejection or take-down), for showing the
 * reason in the page's language; undefined when none is recorded.
 */
export async function rejectionOf(db: Executor, petitionId: string) {
  return db
    .selectFrom('moderation_decisions as d')
    .innerJoin('reject_reasons as r', 'r.code', 'd.reason_code')
    .select(['d.public_reason', 'r.code', 'r.public_text', 'r.public_text_en'])
    .where('d.petition_id', '=', petitionId)
    .where('d.decision', 'in', ['reject', 'takedown'])
    .orderBy('d.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The petition with this id (whole row), or undefined. `id` is the decimal petition number. */
export async function findPetition(db: Executor, id: string): Promise<PetitionRow | undefined> {
  return db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The petition imported from `source` with the archive's own id (e.g. 'cwd', '586819'), or undefined. */
export async function findArchivedPetition(
  db: Executor,
  source: string,
  sourceId: string,
): Promise<PetitionRow | undefined> {
  return db
    .selectFrom('petitions')
    .selectAll()
    .where('archive_source', '=', source)
    .where('archive_source_id', '=', sourceId)
    .executeTakeFirst();
}

/**
 * Published official responses covering this petition, oldest first (one response may cover several petitions).
 * Drafts are never returned. One petition's share of `responsesForPetitions`.
 * @returns the responses' rows ([] when none is published)
 */
export async function responsesForPetition(db: Executor, petitionId: string): Promise<OfficialResponseRow[]> {
  return (await responsesForPetitions(db, [petitionId])).get(petitionId) ?? [];
}

/**
 * The published official responses of many petitions at once, oldest first per petition (by `published_at`, then
 * id), in one query (a dump page, a petition page). Drafts are the responder's, never returned.
 * @returns petition id → its responses (petitions without any are absent)
 */
export async function responsesForPetitions(
  db: Executor,
  petitionIds: readonly string[],
): Promise<Map<string, OfficialResponseRow[]>> {
  const out = new Map<string, OfficialResponseRow[]>();
  if (petitionIds.length === 0) return out;
  const rows = await db
    .selectFrom('official_responses as r')
    .innerJoin('petition_official_responses as pr', 'pr.official_response_id', 'r.id')
    .selectAll('r')
    .select('pr.petition_id')
    .where('pr.petition_id', 'in', [...petitionIds])
    .where('r.state', '=', 'published') // drafts are the responder's, never open data
    .orderBy('r.published_at', (ob) => ob.asc().nullsLast())
    .orderBy('r.id')
    .execute();
  for (const { petition_id, ...response } of rows) {
    const list = out.get(petition_id) ?? [];
    list.push(response);
    out.set(petition_id, list);
  }
  return out;
}

/** True when no petition exists at all (an empty database, before the sample is loaded). */
export async function isEmpty(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('petitions').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}
