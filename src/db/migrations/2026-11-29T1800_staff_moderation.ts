import { type Kysely, sql } from 'kysely';

/**
 * Staff, access, audit and moderation:
 *  - staff accounts (roles as a set; argon2id password hash; TOTP secret encrypted with a key derived from the
 *    deployment secret), their OpenID Connect identities and their sessions (random token stored as SHA-256 hex);
 *  - the append-only audit log (a trigger refuses UPDATE, DELETE and TRUNCATE on both engines; on PostgreSQL the
 *    privileges are revoked from PUBLIC as well);
 *  - the moderation queue: check-outs (one per petition, with expiry), decisions (also the record the creator is
 *    told from), the editable list of public reject reasons, partial hiding (the original passages kept in a
 *    separate table only staff pages read), personal-data flags per petition version with their resolution, and
 *    per-profile moderation settings (review target, election-period switch).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table staff_accounts (
      id bigint generated always as identity primary key,
      email text not null unique check (email = lower(email) and length(email) between 3 and 320),
      display_name text not null check (length(display_name) between 1 and 100),
      roles text[] not null default '{}'
        check (roles <@ array['moderator', 'responder', 'administrator']::text[]),
      password_hash text check (password_hash like '$argon2id$%'),
      -- AES-256-GCM under a key derived from the deployment secret: 'v1.<iv>.<tag>.<ciphertext>' (base64url)
      totp_secret_enc text,
      -- the last accepted TOTP time step (30 s units since the epoch): a code is accepted once
      totp_last_step bigint,
      disabled_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table staff_oidc_identities (
      staff_id bigint not null references staff_accounts (id) on delete cascade,
      issuer text not null,
      subject text not null,
      created_at timestamptz not null default now(),
      primary key (issuer, subject)
    )`.execute(db);

  await sql`
    create table staff_sessions (
      token_hash text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
      staff_id bigint not null references staff_accounts (id) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index staff_sessions_staff on staff_sessions (staff_id)`.execute(db);

  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      -- the staff member who acted; null for the command line (actor says who)
      staff_id bigint references staff_accounts (id),
      actor text not null,
      action text not null,
      subject_type text not null,
      subject_id text,
      reason text,
      before jsonb,
      after jsonb
    )`.execute(db);
  await sql`create index audit_log_subject on audit_log (subject_type, subject_id, id)`.execute(db);
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only (% refused)', tg_op using errcode = '42501';
    end $$`.execute(db);
  await sql`
    create trigger audit_log_no_update_delete before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only()`.execute(db);
  await sql`revoke update, delete, truncate on audit_log from public`.execute(db);

  await sql`
    alter table petitions
      add column review_started_at timestamptz,
      add column duplicate_of bigint references petitions (id),
      add column hidden_from text,
      add column rejection_reason text,
      add column hidden_in_part boolean not null default false`.execute(db);
  await sql`create index petitions_review_queue on petitions (state, review_started_at, id)`.execute(db);

  await sql`
    create table reject_reasons (
      code text primary key check (code ~ '^[a-z][a-z0-9_]{0,39}$'),
      label text not null check (length(label) between 1 and 100),
      public_text text not null check (length(public_text) between 1 and 1000),
      active boolean not null default true,
      position integer not null default 0
    )`.execute(db);
  await sql`
    insert into reject_reasons (code, label, public_text, position) values
      ('duplicate', '중복 청원', '같은 내용의 청원이 이미 있어 공개하지 않았습니다.', 10),
      ('personal_information', '개인정보 포함', '다른 사람의 개인정보가 들어 있어 공개하지 않았습니다.', 20),
      ('defamation', '명예훼손', '특정인의 명예를 훼손하는 내용이 있어 공개하지 않았습니다.', 30),
      ('hate_profanity', '혐오·욕설', '혐오 표현이나 욕설이 들어 있어 공개하지 않았습니다.', 40),
      ('outside_remit', '청원 대상 아님', '재판이 진행 중인 사건 등 청원으로 다룰 수 없는 내용이어서 공개하지 않았습니다.', 50),
      ('false_facts', '허위 사실', '사실이 아닌 내용이 들어 있어 공개하지 않았습니다.', 60),
      ('advertising', '광고·홍보', '광고나 홍보를 위한 글이어서 공개하지 않았습니다.', 70)`.execute(db);

  await sql`
    create table moderation_checkouts (
      petition_id bigint primary key references petitions (id) on delete cascade,
      staff_id bigint not null references staff_accounts (id),
      checked_out_at timestamptz not null,
      expires_at timestamptz not null check (expires_at > checked_out_at)
    )`.execute(db);

  await sql`
    create table moderation_decisions (
      id bigint generated always as identity primary key,
      petition_id bigint not null references petitions (id),
      staff_id bigint not null references staff_accounts (id),
      decision text not null check (decision in ('publish', 'reject', 'hide', 'unhide', 'hide_in_part',
                                                 'unhide_in_part', 'duplicate')),
      reason_code text,
      -- what the public (and the creator) is told
      public_reason text,
      note text,
      decided_at timestamptz not null,
      -- set by the notification mechanism once the creator has been told
      creator_notified_at timestamptz
    )`.execute(db);
  await sql`create index moderation_decisions_petition on moderation_decisions (petition_id, id)`.execute(db);
  await sql`create index moderation_decisions_unnotified on moderation_decisions (id)
              where creator_notified_at is null`.execute(db);

  // hide in part: petitions.title/body hold the masked text; the text before masking is only here
  await sql`
    create table petition_redactions (
      id bigint generated always as identity primary key,
      petition_id bigint not null references petitions (id) on delete cascade,
      field text not null check (field in ('title', 'body')),
      original_text text not null,
      masked_text text not null,
      -- [{start, end, text, label}] offsets in UTF-16 code units of original_text
      passages jsonb not null check (jsonb_typeof(passages) = 'array'),
      staff_id bigint not null references staff_accounts (id),
      created_at timestamptz not null,
      restored_at timestamptz
    )`.execute(db);
  await sql`create index petition_redactions_petition on petition_redactions (petition_id, id)`.execute(db);

  await sql`
    create table personal_data_flags (
      id bigint generated always as identity primary key,
      petition_id bigint not null references petitions (id) on delete cascade,
      -- SHA-256 hex of the field's text the flag was found in: a new text is a new version
      version text not null check (version ~ '^[0-9a-f]{64}$'),
      field text not null check (field in ('title', 'body')),
      kind text not null,
      start_offset integer not null check (start_offset >= 0),
      end_offset integer not null check (end_offset > start_offset),
      matched_text text not null,
      mask text not null,
      confidence text not null check (confidence in ('high', 'review')),
      resolution text check (resolution in ('masked', 'overridden')),
      resolution_reason text,
      resolved_by bigint references staff_accounts (id),
      resolved_at timestamptz,
      constraint personal_data_flags_once unique (petition_id, version, field, start_offset, end_offset, kind),
      constraint personal_data_flags_override_reason
        check (resolution is distinct from 'overridden' or length(resolution_reason) > 0)
    )`.execute(db);

  await sql`
    create table moderation_settings (
      profile text primary key,
      review_target_days integer not null default 10 check (review_target_days between 1 and 365),
      review_near_days integer not null default 3 check (review_near_days >= 0),
      election_active boolean not null default false,
      election_categories text[] not null default '{}',
      election_reason text not null default '',
      updated_at timestamptz not null default now(),
      constraint moderation_settings_near check (review_near_days < review_target_days),
      constraint moderation_settings_election_reason check (not election_active or length(election_reason) > 0)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists moderation_settings, personal_data_flags, petition_redactions,
              moderation_decisions, moderation_checkouts, reject_reasons, audit_log, staff_sessions,
              staff_oidc_identities cascade`.execute(db);
  await sql`drop function if exists audit_log_append_only() cascade`.execute(db);
  await sql`alter table petitions drop column review_started_at, drop column duplicate_of,
              drop column hidden_from, drop column rejection_reason, drop column hidden_in_part`.execute(db);
  await sql`drop table if exists staff_accounts cascade`.execute(db);
}
