import { type Kysely, sql } from 'kysely';
import { searchColumns } from '../../domain/search-text.js';

/**
 * Search reads normalised copies of a petition's text, so that the query and the indexed text follow one rule
 * (`domain/search-text.ts`; before, the query was NFKC-normalised and the text was not, and titles with Hangul
 * compatibility jamo such as `김ㅇㅇ` or `…` did not find themselves):
 * - `search_title` = searchText(title), `search_document` = searchText(title) + '\n' + searchText(body): what the
 *   exact comparison (LIKE) and the ranking read;
 * - `search_title_grams`, `search_grams`: tsvectors of their character bigrams (`searchGrams`), GIN-indexed: the
 *   search index. Bigrams, not pg_trgm's trigrams: a two-syllable Korean word (처벌, 조국, 상상) has no trigram, so
 *   a trigram search for it read every body (0.5 s on 20,000 petitions; BENCHMARKS.md). The body's own trigram
 *   index is no longer read by anything and is dropped (the title's stays for similar-title suggestions);
 * - an index on `archive_source_id`, so that a number finds archived petitions by their source number, and one on
 *   (`public_count` desc, id desc), so that the body matches of a very common word are read in agreement order.
 * All four columns are filled by the write modules with `searchColumns` (never by SQL: the rule has one
 * implementation, in TypeScript); existing rows are filled here, a batch at a time, by the same function.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table petitions add column search_title text, add column search_document text,
    add column search_title_grams tsvector, add column search_grams tsvector`.execute(db);
  let after = '0';
  for (;;) {
    const rows = await sql<{ id: string; title: string; body: string | null }>`
      select id, title, body from petitions where id > ${after} order by id limit 2000`.execute(db);
    if (rows.rows.length === 0) break;
    const values = rows.rows.map((r) => {
      const c = searchColumns(r.title, r.body);
      return sql`(${r.id}::bigint, ${c.search_title}, ${c.search_document}, ${c.search_title_grams}::tsvector,
        ${c.search_grams}::tsvector)`;
    });
    await sql`update petitions p set search_title = v.t, search_document = v.d, search_title_grams = v.tg,
        search_grams = v.g
      from (values ${sql.join(values)}) as v(id, t, d, tg, g) where p.id = v.id`.execute(db);
    after = rows.rows[rows.rows.length - 1]?.id as string;
  }
  await sql`alter table petitions alter column search_title set not null,
    alter column search_document set not null, alter column search_title_grams set not null,
    alter column search_grams set not null`.execute(db);
  await sql`drop index if exists petitions_body_trgm`.execute(db);
  await sql`create index petitions_search_title_grams on petitions using gin (search_title_grams)`.execute(
    db,
  );
  await sql`create index petitions_search_grams on petitions using gin (search_grams)`.execute(db);
  await sql`create index petitions_archive_source_id on petitions (archive_source_id)
    where archive_source_id is not null`.execute(db);
  // a word in most petitions: its matches in bodies are read in agreement order until a page is full
  await sql`create index petitions_public_count on petitions (public_count desc, id desc)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index petitions_public_count`.execute(db);
  await sql`drop index petitions_archive_source_id`.execute(db);
  await sql`drop index petitions_search_grams`.execute(db);
  await sql`drop index petitions_search_title_grams`.execute(db);
  await sql`create index petitions_body_trgm on petitions using gin (body gin_trgm_ops)`.execute(db);
  await sql`alter table petitions drop column search_document, drop column search_title,
    drop column search_title_grams, drop column search_grams`.execute(db);
}
