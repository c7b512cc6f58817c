import { type Kysely, sql } from 'kysely';

/**
 * Official responses as a workflow (draft → published → revised, every version kept), the UK debate track, creator
 * contacts, and the notification pipeline: an outbox written in the same transaction as the event that causes it,
 * fan-out jobs expanded in pages behind a cursor, and one delivery row per person per kind per petition.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  // --- official responses: imported archive answers are published plain text; new ones may be drafts in Markdown
  await sql`alter table official_responses
              add column state text not null default 'published' check (state in ('draft', 'published')),
              add column title text,
              add column body_format text not null default 'text' check (body_format in ('text', 'markdown')),
              add column video_caption_url text,
              add column revised_at timestamptz,
              add column updated_at timestamptz not null default now(),
              add constraint official_responses_video_https check (video_url is null or video_url ~ '^https://'),
              add constraint official_responses_caption_https
                check (video_caption_url is null or video_caption_url ~ '^https://'),
              add constraint official_responses_published_has_date check (state <> 'published' or published_at is not null
                                                                           or archive_source is not null)`.execute(
    db,
  );

  // every version of an answer as it was saved: drafts, the publication, each later revision
  await sql`
    create table official_response_revisions (
      id bigint generated always as identity primary key,
      official_response_id bigint not null references official_responses (id) on delete cascade,
      revision integer not null check (revision >= 1),
      phase text not null check (phase in ('draft', 'published', 'revised')),
      title text,
      summary text,
      body text not null check (length(body) > 0),
      body_format text not null check (body_format in ('text', 'markdown')),
      responder_name text,
      responder_title text,
      video_url text,
      video_caption_url text,
      actor_label text not null check (length(actor_label) between 1 and 200),
      actor_staff_id text,
      created_at timestamptz not null,
      constraint official_response_revisions_number unique (official_response_id, revision)
    )`.execute(db);

  // --- UK: the debate track (second threshold), separate from the response track
  await sql`alter table petitions
              add column debate_state text not null default 'none'
                check (debate_state in ('none', 'awaiting', 'scheduled', 'debated', 'not_debated')),
              add column debate_scheduled_on date,
              add column debate_decided_at timestamptz`.execute(db);

  // --- the creator's contact (filled by petition creation); kept while the petition can still notify them
  await sql`
    create table petition_creators (
      petition_id bigint primary key references petitions (id) on delete cascade,
      email text not null,
      name text not null,
      locale text not null default 'ko' check (locale in ('ko', 'en')),
      unsubscribed_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);

  // --- outbox: one row per event that causes mail, written in the event's own transaction
  await sql`
    create table notification_outbox (
      id bigint generated always as identity primary key,
      kind text not null,
      dedupe_key text not null unique,
      petition_id bigint references petitions (id) on delete cascade,
      payload jsonb not null default '{}'::jsonb check (jsonb_typeof(payload) = 'object'),
      state text not null default 'pending' check (state in ('pending', 'done', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      last_error text,
      lease_owner text,
      lease_until timestamptz,
      created_at timestamptz not null,
      done_at timestamptz
    )`.execute(db);
  await sql`create index notification_outbox_due on notification_outbox (next_attempt_at, id) where state = 'pending'`.execute(
    db,
  );

  // --- fan-out jobs: an outbox event addressed to every opted-in signer, expanded page by page behind a cursor
  await sql`
    create table notification_fanouts (
      id bigint generated always as identity primary key,
      outbox_id bigint not null unique references notification_outbox (id) on delete cascade,
      kind text not null,
      petition_id bigint not null references petitions (id) on delete cascade,
      -- the last agreement id expanded; the next page starts after it
      cursor bigint not null default 0,
      -- opted-in signers when the job started (an estimate: people may opt out or agree meanwhile)
      total integer not null default 0,
      queued integer not null default 0,
      skipped integer not null default 0,
      expanded_at timestamptz,
      created_at timestamptz not null
    )`.execute(db);

  // --- deliveries: one mail to one person; dedupe_key is UNIQUE so a person gets one mail of a kind per petition
  await sql`
    create table notification_deliveries (
      id bigint generated always as identity primary key,
      dedupe_key text not null unique,
      kind text not null,
      petition_id bigint not null references petitions (id) on delete cascade,
      recipient text not null,
      agreement_id bigint references agreements (id) on delete set null,
      fanout_id bigint references notification_fanouts (id) on delete set null,
      payload jsonb not null default '{}'::jsonb,
      state text not null default 'pending'
        check (state in ('pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      last_error text,
      lease_owner text,
      lease_until timestamptz,
      message_id text not null,
      created_at timestamptz not null,
      sending_at timestamptz,
      sent_at timestamptz
    )`.execute(db);
  await sql`create index notification_deliveries_due on notification_deliveries (next_attempt_at, id)
              where state = 'pending'`.execute(db);
  await sql`create index notification_deliveries_leased on notification_deliveries (lease_until)
              where state = 'sending'`.execute(db);
  await sql`create index notification_deliveries_fanout on notification_deliveries (fanout_id, state)`.execute(
    db,
  );
  // fan-out pages walk a petition's opted-in signers in id order
  await sql`create index agreements_notify_page on agreements (petition_id, id) where notify`.execute(db);
  await sql`create index notification_deliveries_agreement on notification_deliveries (agreement_id)`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists agreements_notify_page`.execute(db);
  await sql`drop table if exists notification_deliveries, notification_fanouts, notification_outbox,
              petition_creators, official_response_revisions`.execute(db);
  await sql`alter table petitions drop column debate_state, drop column debate_scheduled_on,
              drop column debate_decided_at`.execute(db);
  await sql`alter table official_responses drop constraint official_responses_video_https,
              drop constraint official_responses_caption_https, drop constraint official_responses_published_has_date,
              drop column state, drop column title, drop column body_format, drop column video_caption_url,
              drop column revised_at, drop column updated_at`.execute(db);
}
