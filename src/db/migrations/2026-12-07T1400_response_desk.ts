import { type Kysely, sql } from 'kysely';

/**
 * The digital sex crime response desk (issue 14): victims' cases and the hashes they submit, hash banks, platforms
 * and their API keys, matches and platform feedback, takedowns per URL with the legal clock, notices, evidence.
 *
 * What is NEVER stored, by design: an image, a video, a file name, EXIF or any other metadata of a victim's file —
 * only its PDQ hash (+ quality) or MD5, computed on the victim's device. A case's PIN is stored as an argon2id hash
 * only. Captured content of a reported URL is stored only when an operator turned it on (`desk_settings`), and then
 * AES-256-GCM-encrypted (`desk_evidence.content_enc`), every read audited.
 *
 *  - `desk_cases`: case number (shown to the victim with the PIN once), PIN hash, priority track ('minor' when the
 *    victim said "I am under 18"), optional counsellor contact (encrypted), state active | withdrawn, `purge_after`
 *    (retention: 3 years; the lifecycle scheduler deletes the case and everything of it then).
 *  - `desk_banks`: hash banks with provenance (victim_submitted | authority_reviewed | partner_exchange), review
 *    status, kind (positive | negative: a negative bank suppresses matches) and a match threshold (PDQ bits).
 *  - `desk_hashes`: one hash in one bank (PDQ hex + quality, or MD5 hex), state active | quarantined | inactive;
 *    `change_seq` (from `desk_hash_change_seq`) moves on every change, so a platform fetches what changed since its
 *    checkpoint, deactivations included (rows are kept as tombstones until the retention purge).
 *  - `desk_platforms`, `desk_api_keys` (SHA-256 of a random key; scopes; requests per minute), `desk_api_requests`
 *    (every API request: who, what, when, answer status — the keys' audit trail).
 *  - `desk_matches`: a platform's lookup that matched a bank hash; platform feedback pending_review | blocked |
 *    not_blocked.
 *  - `desk_takedowns`: one URL to be removed (site, platform, jurisdiction, language), its state, the legal clock
 *    (`due_at`, one extension), re-upload re-checks.
 *  - `desk_notices`: the notice to a platform, drafted from a template, approved by a person, sent via the outbox.
 *  - `desk_evidence`: append-only (a trigger refuses UPDATE, and DELETE outside the retention purge's transaction,
 *    which sets `cheongwon.desk_purge` locally and deletes only rows past `purge_after`).
 *  - `desk_settings`: one row: capture storage (off by default), flood quarantine limits.
 * Also: the `desk_officer` staff role; mail deliveries no longer need a petition (notices to platforms).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table staff_accounts drop constraint staff_accounts_roles_check`.execute(db);
  await sql`
    alter table staff_accounts add constraint staff_accounts_roles_check
      check (roles <@ array['moderator', 'responder', 'administrator', 'desk_officer']::text[])`.execute(db);
  await sql`alter table notification_deliveries alter column petition_id drop not null`.execute(db);

  await sql`
    create table desk_cases (
      id bigint generated always as identity primary key,
      case_number text not null unique check (case_number ~ '^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$'),
      pin_hash text not null check (pin_hash like '$argon2id$%'),
      priority text not null default 'standard' check (priority in ('standard', 'minor')),
      locale text not null default 'ko' check (locale in ('ko', 'en')),
      -- AES-256-GCM under a key derived from the deployment secret; null: no contact asked for
      contact_enc text,
      state text not null default 'active' check (state in ('active', 'withdrawn')),
      created_at timestamptz not null,
      withdrawn_at timestamptz,
      purge_after timestamptz not null
    )`.execute(db);
  await sql`create index desk_cases_purge on desk_cases (purge_after)`.execute(db);

  await sql`
    create table desk_banks (
      id bigint generated always as identity primary key,
      name text not null unique check (name ~ '^[a-z0-9_.-]{1,64}$'),
      provenance text not null check (provenance in ('victim_submitted', 'authority_reviewed', 'partner_exchange')),
      review_status text not null default 'unreviewed' check (review_status in ('unreviewed', 'reviewed', 'rejected')),
      kind text not null default 'positive' check (kind in ('positive', 'negative')),
      pdq_threshold integer not null default 31 check (pdq_threshold between 0 and 128),
      active boolean not null default true,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    insert into desk_banks (name, provenance, review_status, kind)
      values ('victim-submitted', 'victim_submitted', 'unreviewed', 'positive')`.execute(db);

  await sql`create sequence desk_hash_change_seq`.execute(db);
  await sql`
    create table desk_hashes (
      id bigint generated always as identity primary key,
      bank_id bigint not null references desk_banks (id) on delete cascade,
      case_id bigint references desk_cases (id) on delete cascade,
      algorithm text not null check (algorithm in ('pdq', 'md5')),
      hash text not null check (
        (algorithm = 'pdq' and hash ~ '^[0-9a-f]{64}$') or (algorithm = 'md5' and hash ~ '^[0-9a-f]{32}$')),
      quality integer check (quality between 0 and 100),
      state text not null default 'active' check (state in ('active', 'quarantined', 'inactive')),
      -- where an imported record came from (partner exchange): its id there
      external_id text,
      change_seq bigint not null,
      created_at timestamptz not null,
      changed_at timestamptz not null
    )`.execute(db);
  await sql`create unique index desk_hashes_one_per_bank on desk_hashes (bank_id, algorithm, hash, coalesce(case_id, 0))`.execute(
    db,
  );
  await sql`create index desk_hashes_changes on desk_hashes (change_seq)`.execute(db);
  await sql`create index desk_hashes_case on desk_hashes (case_id)`.execute(db);

  await sql`
    create table desk_platforms (
      id bigint generated always as identity primary key,
      name text not null unique check (length(name) between 1 and 100),
      kind text not null check (kind in ('social', 'video', 'adult', 'hosting', 'messaging', 'search', 'other')),
      jurisdiction text check (jurisdiction ~ '^[A-Z]{2}$'),
      notice_email text,
      created_at timestamptz not null
    )`.execute(db);
  await sql`
    create table desk_api_keys (
      id bigint generated always as identity primary key,
      platform_id bigint not null references desk_platforms (id) on delete cascade,
      key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
      scopes text[] not null check (scopes <@ array['lookup', 'feedback', 'delta', 'import', 'export']::text[]),
      requests_per_minute integer not null default 6000 check (requests_per_minute > 0),
      created_at timestamptz not null,
      revoked_at timestamptz
    )`.execute(db);
  await sql`
    create table desk_api_requests (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      platform_id bigint references desk_platforms (id) on delete set null,
      key_id bigint references desk_api_keys (id) on delete set null,
      endpoint text not null,
      status integer not null
    )`.execute(db);
  await sql`create index desk_api_requests_platform on desk_api_requests (platform_id, at)`.execute(db);

  await sql`
    create table desk_matches (
      id bigint generated always as identity primary key,
      platform_id bigint not null references desk_platforms (id) on delete cascade,
      hash_id bigint not null references desk_hashes (id) on delete cascade,
      query_algorithm text not null check (query_algorithm in ('pdq', 'md5')),
      query_hash text not null,
      distance integer not null check (distance >= 0),
      feedback text not null default 'pending_review' check (feedback in ('pending_review', 'blocked', 'not_blocked')),
      matched_at timestamptz not null,
      feedback_at timestamptz,
      unique (platform_id, hash_id, query_hash)
    )`.execute(db);
  await sql`create index desk_matches_hash on desk_matches (hash_id, matched_at)`.execute(db);

  await sql`
    create table desk_takedowns (
      id bigint generated always as identity primary key,
      case_id bigint references desk_cases (id) on delete cascade,
      url text not null check (length(url) between 8 and 2048),
      site text not null,
      platform_id bigint references desk_platforms (id) on delete set null,
      jurisdiction text check (jurisdiction ~ '^[A-Z]{2}$'),
      language text not null default 'ko' check (language in ('ko', 'en', 'ja', 'zh', 'ru', 'es', 'fr')),
      state text not null default 'drafted' check (state in (
        'drafted', 'approved', 'sent', 'acknowledged', 'removed', 'refused', 'unanswered', 'escalated')),
      sent_at timestamptz,
      due_at timestamptz,
      extended_at timestamptz,
      resolved_at timestamptz,
      escalated_at timestamptz,
      -- re-upload monitoring after removal: when to look again, how many looks so far
      next_recheck_at timestamptz,
      rechecks integer not null default 0,
      reupload_of bigint references desk_takedowns (id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index desk_takedowns_case on desk_takedowns (case_id)`.execute(db);
  await sql`create index desk_takedowns_due on desk_takedowns (due_at) where state in ('sent', 'acknowledged')`.execute(
    db,
  );

  await sql`
    create table desk_notices (
      id bigint generated always as identity primary key,
      takedown_id bigint not null references desk_takedowns (id) on delete cascade,
      language text not null check (language in ('ko', 'en', 'ja', 'zh', 'ru', 'es', 'fr')),
      recipient text not null,
      subject text not null,
      body text not null,
      state text not null default 'draft' check (state in ('draft', 'approved', 'sent')),
      drafted_by bigint references staff_accounts (id),
      approved_by bigint references staff_accounts (id),
      approved_at timestamptz,
      sent_at timestamptz,
      created_at timestamptz not null
    )`.execute(db);

  await sql`
    create table desk_evidence (
      id bigint generated always as identity primary key,
      takedown_id bigint references desk_takedowns (id) on delete cascade,
      url text not null,
      captured_at timestamptz not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      recorded_by text not null,
      staff_id bigint references staff_accounts (id),
      -- AES-256-GCM of the captured bytes, only while capture storage is on (desk_settings)
      content_enc bytea,
      purge_after timestamptz not null
    )`.execute(db);
  await sql`
    create function desk_evidence_append_only() returns trigger language plpgsql as $$
    begin
      -- the retention purge (repositories/writes/desk-retention.ts) says so for its own transaction only
      if tg_op = 'DELETE' and current_setting('cheongwon.desk_purge', true) = 'on' then
        return old;
      end if;
      raise exception 'desk_evidence is append-only (% refused)', tg_op using errcode = '42501';
    end $$`.execute(db);
  await sql`
    create trigger desk_evidence_append_only before update or delete on desk_evidence
      for each row execute function desk_evidence_append_only()`.execute(db);

  await sql`
    create table desk_settings (
      id boolean primary key default true check (id),
      capture_storage boolean not null default false,
      flood_window_minutes integer not null default 60 check (flood_window_minutes > 0),
      flood_limit integer not null default 50 check (flood_limit > 0),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`insert into desk_settings default values`.execute(db);
}
