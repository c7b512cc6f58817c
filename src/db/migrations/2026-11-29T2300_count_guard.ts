import { type Kysely, sql } from 'kysely';

/**
 * The agreement writer's fast paths update a hot petition's count at the very end of their transaction — in a
 * batch that is one autocommitted statement, or in `update …; commit` sent as one message — so its row lock is held
 * for the commit alone, never across a round trip to the application. Such an update must not change a count in a
 * way that has effects (a threshold crossed or undone, a petition still collecting pre-agreements): those are
 * written by the careful path, in the same transaction as the count. This function is what the update calls
 * instead of adding when it would: it raises SQLSTATE CW001 (detail: the petition id), which aborts the
 * transaction, and the writer redoes the batch carefully.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function agreement_count_needs_care(petition bigint) returns integer
    language plpgsql volatile as $$
    begin
      raise exception 'the count of petition % has effects: write it on the careful path', petition
        using errcode = 'CW001', detail = petition::text;
    end
    $$`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function agreement_count_needs_care(bigint)`.execute(db);
}
