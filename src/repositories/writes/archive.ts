/**
 * Writes of the archive importer (`commands/import-archive.ts`): archived petitions and their official answers
 * inserted, a stored archived petition completed from a later file, and the indexes refreshed after a bulk load.
 * The batch writes take the batch's transaction: a batch of records is stored all-or-nothing.
 */
import { sql, type Transaction } from 'kysely';
import type { Database, NewPetitionText } from '../../db/schema.js';
import { archivedStates } from '../../domain/petition-states.js';
import { bodySearchSuffix, gramsVector, searchColumns, searchText } from '../../domain/search-text.js';
import type { Executor } from '../petitions.js';

/**
 * Inserts archived petitions in one multi-row statement (rows built with `archivedPetitionColumns`), with their
 * search columns derived here (`searchColumns`).
 * @returns their new ids (decimal petition numbers), in input order
 * @throws database errors (a check constraint, a duplicate archive key): the batch's transaction is then aborted
 */
export async function insertPetitions(
  trx: Transaction<Database>,
  rows: readonly NewPetitionText[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await trx
    .insertInto('petitions')
    .values(rows.map((r) => ({ ...r, ...searchColumns(r.title, r.body) })))
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}

/** An imported official answer: its petition (decimal id), archive key, text, summary and publication (UTC). */
export interface NewArchivedResponse {
  petitionId: string;
  source: string;
  sourceId: string;
  body: string;
  summary: string | null;
  publishedAt: Date | null;
}

/** Stores imported official responses (published) and links each to its petition, in two multi-row statements. */
export async function insertArchivedResponses(
  trx: Transaction<Database>,
  responses: readonly NewArchivedResponse[],
): Promise<void> {
  if (responses.length === 0) return;
  const ids = await trx
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
  await trx
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

/**
 * Applies a patch to one archived petition (`id`: decimal petition number) and stamps `updated_at = now`; never
 * overwrites a body, category or answer time that is there.
 */
export async function patchArchivedPetition(
  trx: Transaction<Database>,
  id: string,
  patch: ArchivedPetitionPatch,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('petitions')
    .set({
      ...(patch.body !== undefined
        ? {
            body: sql<string>`coalesce(body, ${patch.body})`,
            // the body is filled only where there was none: the document gains it then, and only then
            search_document: sql<string>`case when body is null
              then search_title || ${bodySearchSuffix(patch.body)} else search_document end`,
            search_grams: sql<string>`case when body is null
              then search_grams || ${gramsVector(searchText(patch.body))}::tsvector else search_grams end`,
          }
        : {}),
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
  await sql`select gin_clean_pending_list('petitions_title_trgm'::regclass),
    gin_clean_pending_list('petitions_search_title_grams'::regclass),
    gin_clean_pending_list('petitions_search_grams'::regclass)`.execute(db);
  await sql`analyze petitions, official_responses, petition_official_responses`.execute(db);
}
