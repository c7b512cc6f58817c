import { type Kysely, sql } from 'kysely';
import type { Database, OfficialResponseRow, PetitionRow } from '../db/schema.js';
import { ANSWERED_RESPONSE_STATES, type PetitionState } from '../domain/petition-states.js';

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
  /** Substring searched case-insensitively in title and body (pg_trgm-indexed ILIKE; works for Hangul). */
  text?: string | undefined;
  /** Search `text` in titles only (for texts too short for the trigram index). */
  titlesOnly?: boolean | undefined;
  /** true: only petitions with an official response; false: only those without. */
  answered?: boolean | undefined;
  sort: PetitionSort;
  /** 1-based page number. */
  page: number;
  /** Rows per page (1–100). */
  perPage: number;
}

export interface PetitionPage {
  rows: PetitionRow[];
  /** Number of petitions matching the filters, over all pages. */
  total: number;
}

/** Escapes LIKE metacharacters so a user's `%` or `_` is searched literally (escape character `\`). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of petitions matching `query`, with the total count.
 * Text search: title or body contains the text, case-insensitively ('n번방' finds 'N번방'); with sort
 * 'relevance', title matches come first, then by agreements. Ties are broken by id (newest first) so pages are
 * stable. Petitions of categories withheld by the election-period switch (moderation_settings) are left out.
 * @returns the page's rows (whole petition rows) and the number of matching petitions over all pages; an empty
 *   page when `query.states` is empty
 */
export async function listPetitions(db: Executor, query: PetitionListQuery): Promise<PetitionPage> {
  if (query.states.length === 0) return { rows: [], total: 0 };
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
  const pattern = query.text ? likePattern(query.text) : null;
  if (pattern && query.titlesOnly) {
    base = base.where('title', 'ilike', pattern);
  } else if (pattern) {
    base = base.where((eb) => eb.or([eb('title', 'ilike', pattern), eb('body', 'ilike', pattern)]));
  }

  let rowsQuery = base.selectAll();
  switch (query.sort) {
    case 'relevance':
      if (pattern) {
        rowsQuery = rowsQuery.orderBy(sql`case when title ilike ${pattern} then 0 else 1 end`);
      }
      rowsQuery = rowsQuery.orderBy('public_count', 'desc');
      break;
    case 'agreements':
      rowsQuery = rowsQuery.orderBy('public_count', 'desc');
      break;
    case 'newest':
      rowsQuery = rowsQuery.orderBy('opened_at', (ob) => ob.desc().nullsLast());
      break;
    case 'closing':
      rowsQuery = rowsQuery.orderBy('closes_at', (ob) => ob.asc().nullsLast());
      break;
    case 'answered':
      rowsQuery = rowsQuery
        .orderBy('answered_at', (ob) => ob.desc().nullsLast())
        .orderBy('closes_at', 'desc');
      break;
  }
  rowsQuery = rowsQuery
    .orderBy('id', 'desc')
    .limit(query.perPage)
    .offset((query.page - 1) * query.perPage);

  const [rows, counted] = await Promise.all([
    rowsQuery.execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(counted.n) };
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
