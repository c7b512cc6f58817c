import { type Kysely, sql } from 'kysely';

/**
 * The transparency log on the database side (issue 13; formats in src/domain/tlog/):
 * - `petitions.log_size`: how many entries the petition's log has. It is advanced by the same UPDATE that moves
 *   `agreement_count` (the row lock the count already takes), and the entries of a batch take the indices
 *   `log_size - n … log_size - 1` in that statement: no second hot lock, no gap, no reuse. Not indexed, so the hot
 *   update stays HOT.
 * - `agreements.receipt_commitment`: SHA-256 of the signer's 16-byte receipt secret, kept for an emailed agreement
 *   until its confirmation makes the leaf (a one-click agreement's leaf is made at once; the secret is never stored).
 * - `petition_logs`: one row per petition with a log: its key K_p (HMAC key of the entry tags) encrypted under the
 *   deployment secret — null once destroyed with the petition's signer data, so a later leak cannot test "did this
 *   person sign?" — and the latest signed checkpoint (size, root, note text), replaced only by compare-and-swap.
 * - `log_entries`: the entries (binary, first byte the kind), by petition and index; `agreement_id` is how an
 *   agreement row finds its leaf index (unique; set null if an agreement row is ever deleted — the leaf stays).
 * - `log_tiles`: immutable C2SP tlog-tiles (hash tiles and entry bundles, full and partial) by log and path.
 * - `heads_entries`, `heads_log`: the site-level log whose entries are petition checkpoint bodies, its latest
 *   signed checkpoint and the one witnesses cosigned.
 * - `log_signer`: the two Ed25519 note keys (role 'petitions' signs every petition log, 'heads' the heads log;
 *   src/domain/tlog/site-log.ts), sealed under the deployment secret, so every app server of a deployment signs
 *   with the same keys without another secret to distribute.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table petitions add column log_size bigint not null default 0`.execute(db);
  await sql`
    alter table agreements add column receipt_commitment bytea
      check (receipt_commitment is null or octet_length(receipt_commitment) = 32)`.execute(db);
  await sql`
    create table petition_logs (
      petition_id bigint primary key references petitions (id),
      key_ciphertext text,
      key_destroyed_at timestamptz,
      signed_size bigint not null default 0,
      signed_root bytea,
      checkpoint text,
      signed_at timestamptz,
      published_size bigint not null default 0,
      created_at timestamptz not null,
      constraint petition_logs_key_or_destroyed check ((key_ciphertext is null) = (key_destroyed_at is not null))
    )`.execute(db);
  await sql`
    create table log_entries (
      petition_id bigint not null references petitions (id),
      idx bigint not null check (idx >= 0),
      entry bytea not null check (octet_length(entry) between 1 and 65535),
      agreement_id bigint references agreements (id) on delete set null,
      primary key (petition_id, idx)
    )`.execute(db);
  await sql`create unique index log_entries_agreement on log_entries (agreement_id)
    where agreement_id is not null`.execute(db);
  await sql`
    create table log_tiles (
      log text not null,
      path text not null,
      data bytea not null,
      primary key (log, path)
    )`.execute(db);
  await sql`
    create table heads_entries (
      idx bigint primary key check (idx >= 0),
      entry bytea not null
    )`.execute(db);
  await sql`
    create table heads_log (
      id smallint primary key default 1 check (id = 1),
      size bigint not null default 0,
      root bytea,
      checkpoint text,
      cosigned_checkpoint text,
      cosigned_size bigint,
      signed_at timestamptz
    )`.execute(db);
  await sql`insert into heads_log (id) values (1)`.execute(db);
  await sql`
    create table log_signer (
      role text primary key check (role in ('petitions', 'heads')),
      name text not null,
      key_ciphertext text not null,
      vkey text not null,
      created_at timestamptz not null
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists log_signer, heads_log, heads_entries, log_tiles, log_entries, petition_logs`.execute(
    db,
  );
  await sql`alter table agreements drop column receipt_commitment`.execute(db);
  await sql`alter table petitions drop column log_size`.execute(db);
}
