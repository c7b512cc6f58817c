import { type Kysely, sql } from 'kysely';

/**
 * What archive sources publish beyond a petition's total, kept as published (issue 12):
 * - `archived_area_counts`: signatures per country, constituency and region as the UK site counted them. IMPORTED
 *   AGGREGATES: no agreement row stands behind any of these numbers (the `agreements` table holds this platform's
 *   own signers only), and nothing ever adds to them; they are replaced only by re-importing a later file.
 *   `position` keeps the source's order (and lets a source list one code twice without losing a row).
 * - `archived_petition_details`: the rest of what the source says about a petition that has no column of its own
 *   (UK: debate and its links, scheduled debate date, debate outcome time, moderation threshold time, departments,
 *   topics, other parliamentary business, committee note, the source's created/updated times), as one JSON object.
 * The crossing times of the response and debate thresholds go to the petition's own
 * `response_threshold_reached_at` / `debate_threshold_reached_at`.
 *
 * - `deferred_indexes`: the GIN (search) indexes of `petitions` a bulk archive load dropped, with their definitions,
 *   written in the same transaction as the drop, so that an import that dies half-way leaves the list of what to
 *   rebuild (the next import rebuilds them first: repositories/writes/archive.ts `restoreDeferredIndexes`).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table archived_area_counts (
      petition_id bigint not null references petitions (id) on delete cascade,
      scope text not null check (scope in ('country', 'constituency', 'region')),
      position integer not null check (position >= 0),
      code text not null,
      name text not null,
      -- the constituency's MP when the source took its count (a public office holder), as the source gave it
      mp text,
      signature_count integer not null check (signature_count >= 0),
      primary key (petition_id, scope, position)
    )`.execute(db);
  await sql`comment on table archived_area_counts is
    'Imported from an archive source (UK signatures_by_*): published aggregates, not backed by agreement rows'`.execute(
    db,
  );
  await sql`
    create table archived_petition_details (
      petition_id bigint primary key references petitions (id) on delete cascade,
      details jsonb not null check (jsonb_typeof(details) = 'object')
    )`.execute(db);
  await sql`
    create table deferred_indexes (
      name text primary key,
      definition text not null,
      deferred_at timestamptz not null default now()
    )`.execute(db);
  await sql`comment on table archived_petition_details is
    'Imported from an archive source: what it said about the petition beyond the petitions columns'`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table deferred_indexes`.execute(db);
  await sql`drop table archived_petition_details`.execute(db);
  await sql`drop table archived_area_counts`.execute(db);
}
