import { type Kysely, sql } from 'kysely';

/**
 * The creator's private link for pre-agreements (사전동의 / sponsors): while a petition collects them it is not
 * public, and only people holding the link may agree. The link's token is stored hashed (SHA-256 hex).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table petitions add column sponsor_token_hash text unique
              check (sponsor_token_hash ~ '^[0-9a-f]{64}$')`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table petitions drop column sponsor_token_hash`.execute(db);
}
