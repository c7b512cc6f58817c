import { type Kysely, sql } from 'kysely';

/**
 * Petitions, official responses and per-profile runtime settings.
 * The same SQL runs on PGlite (embedded) and PostgreSQL; pg_trgm gives Korean-capable substring search
 * (trigrams work on Hangul because both databases use a UTF-8 ctype).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table petitions (
      id bigint generated always as identity primary key,
      profile text not null,
      category text,
      title text not null check (length(title) between 1 and 2000),
      body text,
      state text not null check (state in ('draft', 'collecting_pre_agreements', 'in_review', 'open', 'closed',
                                           'rejected', 'hidden', 'removed')),
      response_state text not null default 'none' check (response_state in ('none', 'awaiting', 'answered')),
      -- live count backed by agreement rows; it has exactly one writer (the signing batch writer)
      agreement_count integer not null default 0 check (agreement_count >= 0),
      -- final total published by a historic platform; imported, no signer rows behind it
      archived_agreement_count integer check (archived_agreement_count >= 0),
      -- false when the archive counted the petition before it closed (crawled while open): not a final total
      archived_count_final boolean,
      public_count integer generated always as (agreement_count + coalesce(archived_agreement_count, 0)) stored,
      -- the thresholds that apply to this petition, fixed when it is published (or imported): a later change of the
      -- profile's settings does not move the goalposts of petitions already open or closed
      response_threshold integer check (response_threshold >= 1),
      debate_threshold integer check (debate_threshold >= 1),
      opened_at timestamptz,
      closes_at timestamptz,
      closed_at timestamptz,
      response_threshold_reached_at timestamptz,
      debate_threshold_reached_at timestamptz,
      response_due_at timestamptz,
      answered_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      archive_source text,
      archive_source_id text,
      archive_source_state text,
      archive_source_url text,
      archive_category_label text,
      imported_at timestamptz,
      constraint petitions_archive_key unique (archive_source, archive_source_id),
      constraint petitions_archive_complete check ((archive_source is null) = (archive_source_id is null)),
      constraint petitions_archived_total_is_imported
        check (archived_agreement_count is null or archive_source is not null),
      constraint petitions_archived_total_finality check ((archived_agreement_count is null) = (archived_count_final is null)),
      constraint petitions_closes_after_opening check (closes_at is null or opened_at is null or closes_at > opened_at)
    )`.execute(db);

  await sql`create index petitions_title_trgm on petitions using gin (title gin_trgm_ops)`.execute(db);
  await sql`create index petitions_body_trgm on petitions using gin (body gin_trgm_ops)`.execute(db);
  await sql`create index petitions_state_count on petitions (state, public_count desc, id desc)`.execute(db);
  await sql`create index petitions_state_opened on petitions (state, opened_at desc, id desc)`.execute(db);
  await sql`create index petitions_state_closes on petitions (state, closes_at, id)`.execute(db);
  await sql`create index petitions_category on petitions (category, public_count desc)`.execute(db);
  await sql`create index petitions_title_last_day on petitions (title, closes_at)`.execute(db);

  await sql`
    create table official_responses (
      id bigint generated always as identity primary key,
      summary text,
      body text not null check (length(body) > 0),
      responder_name text,
      responder_title text,
      video_url text,
      published_at timestamptz,
      created_at timestamptz not null default now(),
      archive_source text,
      archive_source_id text,
      constraint official_responses_archive_key unique (archive_source, archive_source_id)
    )`.execute(db);

  await sql`
    create table petition_official_responses (
      petition_id bigint not null references petitions (id) on delete cascade,
      official_response_id bigint not null references official_responses (id) on delete cascade,
      primary key (petition_id, official_response_id)
    )`.execute(db);
  await sql`create index petition_official_responses_response on petition_official_responses (official_response_id)`.execute(
    db,
  );

  await sql`
    create table profile_settings (
      profile text primary key,
      overrides jsonb not null default '{}'::jsonb check (jsonb_typeof(overrides) = 'object'),
      updated_at timestamptz not null default now()
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'profile_settings',
    'petition_official_responses',
    'official_responses',
    'petitions',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
