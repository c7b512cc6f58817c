/**
 * Writes of the archive importer (`commands/import-archive.ts`): archived petitions and their official answers
 * inserted, a stored archived petition completed from a later file, and the indexes refreshed after a bulk load.
 * The batch writes take the batch's transaction: a batch of records is stored all-or-nothing.
 */
import { sql, type Transaction } from 'kysely';
import type { Database, NewPetitionText } from '../../db/schema.js';
import { archivedStates } from '../../domain/petition-states.js';
import type { DebateState } from '../../domain/response-track.js';
import {
  bodySearchSuffix,
  gramsText,
  gramsVector,
  searchForms,
  searchText,
} from '../../domain/search-text.js';
import type { Executor } from '../petitions.js';

/**
 * Inserts archived petitions in one multi-row statement (rows built with `archivedPetitionColumns`), with their
 * search columns derived here by the one rule (`searchText`, `searchGrams`): the texts as `searchForms` gives
 * them, the bigrams sent as space-separated text and made tsvectors by the database (`gramsText`) — the same
 * values, without building and parsing tsvector literals (most of a bulk load's CPU otherwise).
 * @returns their new ids (decimal petition numbers), in input order
 * @throws database errors (a check constraint, a duplicate archive key): the batch's transaction is then aborted
 */
export async function insertPetitions(
  trx: Transaction<Database>,
  rows: readonly NewPetitionText[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const grams = (text: string) => sql<string>`array_to_tsvector(string_to_array(${gramsText(text)}, ' '))`;
  const inserted = await trx
    .insertInto('petitions')
    .values(
      rows.map((r) => {
        const forms = searchForms(r.title, r.body);
        return {
          ...r,
          ...forms,
          search_title_grams: grams(forms.search_title),
          search_grams: grams(forms.search_document),
        };
      }),
    )
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

/** An imported area count (UK signatures by country / constituency / region) of one petition (decimal id). */
export interface NewArchivedAreaCount {
  petitionId: string;
  scope: 'country' | 'constituency' | 'region';
  /** Place in the source's list, 0-based, per petition and scope. */
  position: number;
  code: string;
  name: string;
  mp: string | null;
  count: number;
}

/**
 * Stores imported area counts (aggregates with no agreement rows behind them) in multi-row statements of at most
 * 2,000 rows (a UK petition has ~900).
 */
export async function insertArchivedAreaCounts(
  trx: Transaction<Database>,
  counts: readonly NewArchivedAreaCount[],
): Promise<void> {
  for (let i = 0; i < counts.length; i += 2000) {
    await trx
      .insertInto('archived_area_counts')
      .values(
        counts.slice(i, i + 2000).map((c) => ({
          petition_id: c.petitionId,
          scope: c.scope,
          position: c.position,
          code: c.code,
          name: c.name,
          mp: c.mp,
          signature_count: c.count,
        })),
      )
      .execute();
  }
}

/** Stores what archive sources said about petitions beyond their columns (one JSON object per petition). */
export async function insertArchivedDetails(
  trx: Transaction<Database>,
  rows: ReadonlyArray<{ petitionId: string; details: Record<string, unknown> }>,
): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('archived_petition_details')
    .values(rows.map((r) => ({ petition_id: r.petitionId, details: JSON.stringify(r.details) })))
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
  /** Threshold crossing times, each filled only where null. */
  reachedAt?: { response: Date | null; debate: Date | null };
  /** The debate track as the source has it (set only where the stored one is 'none'). */
  debate?: { state: string; scheduledOn: string | null };
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
      ...(patch.reachedAt
        ? {
            response_threshold_reached_at: sql<Date>`coalesce(response_threshold_reached_at, ${patch.reachedAt.response})`,
            debate_threshold_reached_at: sql<Date>`coalesce(debate_threshold_reached_at, ${patch.reachedAt.debate})`,
          }
        : {}),
      ...(patch.debate
        ? {
            debate_state: sql<DebateState>`case when debate_state = 'none' then ${patch.debate.state} else debate_state end`,
            debate_scheduled_on: sql<string>`case when debate_state = 'none' then ${patch.debate.scheduledOn}::date else debate_scheduled_on end`,
          }
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
  // every GIN index of petitions (the trigram search indexes, whatever their names and definitions)
  await sql`select gin_clean_pending_list(indexrelid) from pg_index
    where indrelid = 'petitions'::regclass
      and indexrelid in (select c.oid from pg_class c join pg_am am on am.oid = c.relam where am.amname = 'gin')`.execute(
    db,
  );
  await sql`analyze petitions, official_responses, petition_official_responses, archived_area_counts`.execute(
    db,
  );
}

/**
 * Bulk load, step 1: drops the GIN indexes of `petitions` (the trigram search indexes, whatever their current
 * definitions) after recording each definition in `deferred_indexes`, in one transaction. Maintaining a trigram
 * GIN index row by row costs about 2.4 times building it once (2020 file on PostgreSQL 15: 18 s against 7.5 s), so a
 * large load into a table that holds mostly archived petitions goes faster without them. Holds an ACCESS EXCLUSIVE
 * lock on `petitions` only for the drop itself.
 * @returns the names of the indexes dropped
 */
export async function deferSearchIndexes(db: Executor): Promise<string[]> {
  const run = async (trx: Executor) => {
    const indexes = await sql<{ name: string; definition: string }>`
      select indexname as name, indexdef as definition from pg_indexes
      where schemaname = current_schema() and tablename = 'petitions' and indexdef like '% USING gin %'`.execute(
      trx,
    );
    for (const ix of indexes.rows) {
      await trx
        .insertInto('deferred_indexes')
        .values({ name: ix.name, definition: ix.definition })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      await sql`drop index ${sql.id(ix.name)}`.execute(trx);
    }
    return indexes.rows.map((r) => r.name);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/**
 * Bulk load, last step (and the first step of every import, to repair an import that died half-way): builds each
 * index `deferred_indexes` lists from its recorded definition (`CREATE INDEX IF NOT EXISTS`) and removes it from
 * the list, all at once on PostgreSQL (one connection each). Building takes a SHARE lock on `petitions` (reads go on;
 * writes wait until it is built).
 * @returns the names of the indexes built
 */
export async function restoreDeferredIndexes(db: Executor): Promise<string[]> {
  const pending = await db.selectFrom('deferred_indexes').select(['name', 'definition']).execute();
  // PostgreSQL 15 builds one GIN index on one core: the indexes are built at the same time, each on its own pool
  // connection (PGlite and a transaction have one connection: there they are built one after the other)
  const built = await Promise.allSettled(
    pending.map(async (ix) => {
      const definition = ix.definition.replace(/^CREATE (UNIQUE )?INDEX /i, 'CREATE $1INDEX IF NOT EXISTS ');
      await sql.raw(definition).execute(db);
      await db.deleteFrom('deferred_indexes').where('name', '=', ix.name).execute();
    }),
  );
  // every build has ended (none left running behind the caller); the first failure is the caller's
  const failed = built.find((b) => b.status === 'rejected');
  if (failed) throw failed.reason;
  return pending.map((p) => p.name);
}
