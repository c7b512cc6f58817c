import { type Kysely, sql } from 'kysely';

/**
 * A hash index on `search_title`, so that a search finds the petition whose title is the query (the first text
 * tier of `listPetitions`) by one index lookup instead of reading every title that holds its words — a word in 5 %
 * of a national archive's titles is tens of thousands of rows. Hash, not B-tree: a title may be 2,000 characters,
 * beyond what a B-tree entry holds.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index petitions_search_title_hash on petitions using hash (search_title)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index petitions_search_title_hash`.execute(db);
}
