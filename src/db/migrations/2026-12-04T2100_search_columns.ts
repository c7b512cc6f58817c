import { type Kysely, sql } from 'kysely';
import { searchColumns } from '../../domain/search-text.js';

/**
 * Search reads normalised copies of a petition's text, so that the query and the indexed text follow one rule
 * (`domain/search-text.ts`; before, the query was NFKC-normalised and the text was not, and titles with Hangul
 * compatibility jamo such as `김ㅇㅇ` or `…` did not find themselves):
 * - `search_title` = searchText(title), `search_document` = searchText(title) + '\n' + searchText(body), filled by
 *   the write modules with `searchColumns` (never by SQL: the rule has one implementation, in TypeScript);
 * - trigram indexes on both (title tiers of the ranking; every word in title or body); the body's own trigram
 *   index is no longer read by anything and is dropped (the title's stays for similar-title suggestions).
 * Existing rows are filled here, a batch at a time, by the same function.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table petitions add column search_title text, add column search_document text`.execute(db);
  let after = '0';
  for (;;) {
    const rows = await sql<{ id: string; title: string; body: string | null }>`
      select id, title, body from petitions where id > ${after} order by id limit 2000`.execute(db);
    if (rows.rows.length === 0) break;
    const values = rows.rows.map((r) => {
      const c = searchColumns(r.title, r.body);
      return sql`(${r.id}::bigint, ${c.search_title}, ${c.search_document})`;
    });
    await sql`update petitions p set search_title = v.t, search_document = v.d
      from (values ${sql.join(values)}) as v(id, t, d) where p.id = v.id`.execute(db);
    after = rows.rows[rows.rows.length - 1]?.id as string;
  }
  await sql`alter table petitions alter column search_title set not null,
    alter column search_document set not null`.execute(db);
  await sql`drop index if exists petitions_body_trgm`.execute(db);
  await sql`create index petitions_search_title_trgm on petitions using gin (search_title gin_trgm_ops)`.execute(
    db,
  );
  await sql`create index petitions_search_document_trgm on petitions using gin (search_document gin_trgm_ops)`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index petitions_search_document_trgm`.execute(db);
  await sql`drop index petitions_search_title_trgm`.execute(db);
  await sql`create index petitions_body_trgm on petitions using gin (body gin_trgm_ops)`.execute(db);
  await sql`alter table petitions drop column search_document, drop column search_title`.execute(db);
}
