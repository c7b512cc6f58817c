/**
 * Reads of the archive importer: petitions already imported, looked up by archive id or by title. The writes
 * (inserting archived petitions and answers, completing them, refreshing the indexes) are in writes/archive.ts.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ResponseState } from '../domain/petition-states.js';
import type { Executor } from './petitions.js';

/**
 * What the importer needs to know about a petition already imported from an archive: its id (decimal petition
 * number), archive key (`archive_source`, `archive_source_id`), title and deadline (`closes_at`, UTC; for matching
 * twins), what a later file may fill (body, category, response state, archived total and whether it is final) and
 * whether an official response is linked to it.
 */
export interface ExistingArchivedPetition {
  id: string;
  archive_source: string;
  archive_source_id: string;
  title: string;
  closes_at: Date | null;
  body: string | null;
  category: string | null;
  response_state: ResponseState;
  archived_agreement_count: number;
  archived_count_final: boolean;
  has_response: boolean;
  response_threshold_reached_at: Date | null;
  debate_threshold_reached_at: Date | null;
  debate_state: string;
  /** Whether archived area counts (UK signatures by country, constituency, region) are stored for it. */
  has_area_counts: boolean;
  /** Whether the source's other details are stored for it (`archived_petition_details`). */
  has_details: boolean;
}

function selectExisting(db: Executor) {
  return db
    .selectFrom('petitions as p')
    .select([
      'p.id',
      'p.archive_source',
      'p.archive_source_id',
      'p.title',
      'p.closes_at',
      'p.body',
      'p.category',
      'p.response_state',
      'p.archived_agreement_count',
      'p.archived_count_final',
      'p.response_threshold_reached_at',
      'p.debate_threshold_reached_at',
      'p.debate_state',
      (eb: ExpressionBuilder<Database & { p: Database['petitions'] }, 'p'>) =>
        eb
          .exists(eb.selectFrom('petition_official_responses as pr').whereRef('pr.petition_id', '=', 'p.id'))
          .as('has_response'),
      (eb: ExpressionBuilder<Database & { p: Database['petitions'] }, 'p'>) =>
        eb
          .exists(eb.selectFrom('archived_area_counts as ac').whereRef('ac.petition_id', '=', 'p.id'))
          .as('has_area_counts'),
      (eb: ExpressionBuilder<Database & { p: Database['petitions'] }, 'p'>) =>
        eb
          .exists(eb.selectFrom('archived_petition_details as ad').whereRef('ad.petition_id', '=', 'p.id'))
          .as('has_details'),
    ]);
}

/**
 * Archived petitions of `source` whose archive ids are in `sourceIds` (one query for a whole batch).
 * @param source archive source ('cwd', 'cwd-list', 'assembly', 'uk', 'wtp', 'cheongwon')
 * @returns the stored ones, in no particular order ([] for no ids)
 */
export async function findArchived(
  db: Executor,
  source: string,
  sourceIds: readonly string[],
): Promise<ExistingArchivedPetition[]> {
  if (sourceIds.length === 0) return [];
  return selectExisting(db)
    .where('p.archive_source', '=', source)
    .where('p.archive_source_id', 'in', [...sourceIds])
    .execute() as Promise<ExistingArchivedPetition[]>;
}

/**
 * Archived petitions of `source` with one of these titles (any deadline): candidates for recognising one petition
 * that two crawls numbered differently (the CWD list crawl vs the board's own ids). The caller matches deadlines
 * and counts.
 * @returns the candidates, in no particular order ([] for no titles)
 */
export async function findArchivedByTitles(
  db: Executor,
  source: string,
  titles: readonly string[],
): Promise<ExistingArchivedPetition[]> {
  if (titles.length === 0) return [];
  return selectExisting(db)
    .where('p.archive_source', '=', source)
    .where('p.title', 'in', [...new Set(titles)])
    .execute() as Promise<ExistingArchivedPetition[]>;
}

/**
 * How many petitions are stored, and how many of them are this platform's own (not imported): the importer loads
 * in bulk (search indexes deferred) only into a table of archived petitions that the file would at least double.
 */
export async function countStoredPetitions(db: Executor): Promise<{ total: number; own: number }> {
  const row = await db
    .selectFrom('petitions')
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      eb.fn.count<string>('id').filterWhere('archive_source', 'is', null).as('own'),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), own: Number(row.own) };
}
