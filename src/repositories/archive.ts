import { sql } from 'kysely';
import type { NewPetition } from '../db/schema.js';
import type { Executor } from './petitions.js';

/** What the importer needs to know about a petition already imported from an archive. */
export interface ExistingArchivedPetition {
  id: string;
  archive_source_id: string;
  body: string | null;
  category: string | null;
  response_state: string;
  has_response: boolean;
}

/** Archived petitions of `source` whose archive ids are in `sourceIds` (one query for a whole batch). */
export async function findArchived(
  db: Executor,
  source: string,
  sourceIds: readonly string[],
): Promise<ExistingArchivedPetition[]> {
  if (sourceIds.length === 0) return [];
  return db
    .selectFrom('petitions as p')
    .select([
      'p.id',
      'p.archive_source_id',
      'p.body',
      'p.category',
      'p.response_state',
      (eb) =>
        eb
          .exists(eb.selectFrom('petition_official_responses as pr').whereRef('pr.petition_id', '=', 'p.id'))
          .as('has_response'),
    ])
    .where('p.archive_source', '=', source)
    .where('p.archive_source_id', 'in', [...sourceIds])
    .execute() as Promise<ExistingArchivedPetition[]>;
}

/**
 * Archived petitions of `source` with exactly these (title, closes_at, archived total) triples: used to recognise
 * one petition that two crawls numbered differently (the CWD list crawl vs the board's own ids). Title and deadline
 * alone are not enough: on some days dozens of petitions share a title ('미세먼지'), so the final count must match
 * too.
 * @returns map from `titleDeadlineKey(...)` to the archive id that holds it
 */
export async function findArchivedByTitleAndDeadline(
  db: Executor,
  source: string,
  pairs: ReadonlyArray<{ title: string; closesAt: Date; count: number }>,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (pairs.length === 0) return found;
  const rows = await db
    .selectFrom('petitions')
    .select(['title', 'closes_at', 'archive_source_id', 'archived_agreement_count'])
    .where('archive_source', '=', source)
    .where(
      'title',
      'in',
      pairs.map((p) => p.title),
    )
    .execute();
  const wanted = new Set(pairs.map((p) => titleDeadlineKey(p.title, p.closesAt, p.count)));
  for (const row of rows) {
    if (!row.closes_at || !row.archive_source_id || row.archived_agreement_count === null) continue;
    const key = titleDeadlineKey(row.title, row.closes_at, row.archived_agreement_count);
    if (wanted.has(key)) found.set(key, row.archive_source_id);
  }
  return found;
}

export function titleDeadlineKey(title: string, closesAt: Date, count: number): string {
  return `${title}\u0000${closesAt.toISOString()}\u0000${count}`;
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

/** Fills a petition's missing body and/or category; never overwrites what is there. */
export async function fillMissing(
  db: Executor,
  id: string,
  fields: { body?: string; category?: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('petitions')
    .set({
      ...(fields.body !== undefined ? { body: sql<string>`coalesce(body, ${fields.body})` } : {}),
      ...(fields.category !== undefined
        ? { category: sql<string>`coalesce(category, ${fields.category})` }
        : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Marks an archived petition answered (when a later file brings its official answer). */
export async function markAnswered(
  db: Executor,
  id: string,
  answeredAt: Date | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('petitions')
    .set({
      response_state: 'answered',
      answered_at: sql`coalesce(answered_at, ${answeredAt})`,
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
