import { type Kysely, sql } from 'kysely';

/**
 * Upkeep of the agreements table on the hot path and after it:
 * - the emailed-token index holds only rows that have a token (one-click agreements, the bulk of a surge, no longer
 *   add an entry to it on every insert);
 * - unconfirmed agreements are found by their token's expiry, so the purge of links that can no longer be confirmed
 *   (data minimisation: their contact data goes with them) reads an index, not the table.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table agreements drop constraint agreements_confirmation_token_hash_key`.execute(db);
  await sql`create unique index agreements_confirmation_token on agreements (confirmation_token_hash)
              where confirmation_token_hash is not null`.execute(db);
  await sql`create index agreements_unconfirmed_expiry on agreements (token_expires_at)
              where confirmed_at is null`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index agreements_unconfirmed_expiry`.execute(db);
  await sql`drop index agreements_confirmation_token`.execute(db);
  await sql`alter table agreements add constraint agreements_confirmation_token_hash_key
              unique (confirmation_token_hash)`.execute(db);
}
