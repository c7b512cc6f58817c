import { type Kysely, sql } from 'kysely';

/**
 * Petition creation (issue 6): one row per petition created through the form.
 * - `submission_key` is the idempotency token the form carries from its first stage: a replayed or double-clicked
 *   submit finds the petition it already created instead of creating a second one (UNIQUE).
 * - `confirmation_token_hash` (SHA-256 hex of the token emailed to a creator who is not signed in) and its expiry;
 *   `confirmed_at` is set when the creator presses the button of the emailed link, which moves the petition from
 *   `draft` to `collecting_pre_agreements`. Signed-in creators need no link (confirmed at once).
 * Unconfirmed drafts are deleted once their link has expired (`purgeUnconfirmedPetitions`), with the creator's
 * contact (petition_creators cascades).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table petition_creations (
      petition_id bigint primary key references petitions (id) on delete cascade,
      submission_key text not null unique,
      confirmation_token_hash text,
      token_expires_at timestamptz,
      confirmed_at timestamptz,
      created_at timestamptz not null default now(),
      constraint petition_creations_token_has_expiry
        check (confirmation_token_hash is null or token_expires_at is not null)
    )`.execute(db);
  await sql`create unique index petition_creations_confirmation_token on petition_creations
              (confirmation_token_hash) where confirmation_token_hash is not null`.execute(db);
  await sql`create index petition_creations_unconfirmed_expiry on petition_creations (token_expires_at)
              where confirmed_at is null`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table petition_creations`.execute(db);
}
