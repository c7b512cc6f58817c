import { type ExpressionBuilder, sql } from 'kysely';
import type { Database, NewPetition } from '../db/schema.js';
import { archivedStates, type ResponseState } from '../domain/petition-states.js';
import type { Executor } from './petitions.js';

/** What the importer needs to know about a petition already imported from an archive. */
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
      (eb: ExpressionBuilder<Database & { p: Database['petitions'] }, 'p'>) =>
        eb
          .exists(eb.selectFrom('petition_official_responses as pr').whereRef('pr.petition_id', '=', 'p.id'))
          .as('has_response'),
    ]);
}

/** Archived petitions of `source` whose archive ids are in `sourceIds` (one query for a whole batch). */
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

/** Inserts archived petitions in one multi-row statement. @returns their new ids, in input order. */
export async function insertPetitions(db: Executor, rows: readonly NewPetition[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('petitions')
    .values([...rows])
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}

export interface NewArchivedResponse {
  petitionId: string;
  source: string;
  sourceId: string;
  body: string;
  summary: string | null;
  publishedAt: Date | null;
}

/** Stores imported official responses and links each to its petition. */
export async function insertArchivedResponses(
  db: Executor,
  responses: readonly NewArchivedResponse[],
): Promise<void> {
  if (responses.length === 0) return;
  const ids = await db
    .insertInto('official_responses')
    .values(
      responses.map((r) => ({
        body: r.body,
        summary: r.summary,
        published_at: r.publishedAt,
        archive_source: r.source,
        archive_source_id: r.sourceId,
      })),
    )
    .returning('id')
    .execute();
  await db
    .insertInto('petition_official_responses')
    .values(
      responses.map((r, i) => ({ petition_id: r.petitionId, official_response_id: ids[i]?.id as string })),
    )
    .execute();
}

/** What a later archive file may add to a stored archived petition; absent fields are left alone. */
export interface ArchivedPetitionPatch {
  /** Filled only where the stored body is null. */
  body?: string;
  /** Filled only where the stored category is null. */
  category?: string;
  /** Sets the response state of an answered archive record (`archivedStates(true)`: answered); answered_at is
   *  filled only where null. */
  answered?: { at: Date | null };
  /** Replaces the archived total (a final count replacing one taken before close). */
  count?: { total: number; final: boolean };
  /** Re-keys a record under another archive's id (a list-crawl row adopted by the board's own record). */
  identity?: { source: string; sourceId: string; sourceState: string; url: string | null };
}

/** Applies a patch to one archived petition; never overwrites a body, category or answer time that is there. */
export async function patchArchivedPetition(
  db: Executor,
  id: string,
  patch: ArchivedPetitionPatch,
  now: Date,
): Promise<void> {
  await db
    .updateTable('petitions')
    .set({
      ...(patch.body !== undefined ? { body: sql<string>`coalesce(body, ${patch.body})` } : {}),
      ...(patch.category !== undefined
        ? { category: sql<string>`coalesce(category, ${patch.category})` }
        : {}),
      ...(patch.answered
        ? {
            response_state: archivedStates(true).responseState,
            answered_at: sql<Date>`coalesce(answered_at, ${patch.answered.at})`,
          }
        : {}),
      ...(patch.count
        ? { archived_agreement_count: patch.count.total, archived_count_final: patch.count.final }
        : {}),
      ...(patch.identity
        ? {
            archive_source: patch.identity.source,
            archive_source_id: patch.identity.sourceId,
            archive_source_state: patch.identity.sourceState,
            archive_source_url: patch.identity.url,
          }
        : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * After a bulk import: merge the trigram indexes' pending lists into the index proper and refresh planner
 * statistics. Without it the planner, still believing the table empty, scans every body for a search (~0.5 s on
 * 8,859 petitions instead of ~3 ms), and PGlite has no autovacuum to do this later.
 */
export async function refreshAfterBulkImport(db: Executor): Promise<void> {
  await sql`select gin_clean_pending_list('petitions_title_trgm'::regclass), gin_clean_pending_list('petitions_body_trgm'::regclass)`.execute(
    db,
  );
  await sql`analyze petitions, official_responses, petition_official_responses`.execute(db);
}
