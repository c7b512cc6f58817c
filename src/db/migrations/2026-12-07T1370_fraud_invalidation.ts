import { type Kysely, sql } from 'kysely';

/**
 * Fraud signals and accountable invalidation (issue 13, "Fraud signals and accountable invalidation"):
 * - `agreements.network_prefix`: the client's network prefix at signing (IPv4 /24 as `203.0.113.0/24`, IPv6 /48 as
 *   `2001:db8:1::/48`; src/domain/fraud.ts `networkPrefix`). The raw address was never stored and still is not: the
 *   prefix is all a staff signal needs. `email_domain` (the lower-cased domain of an emailed agreement's address,
 *   kept after the contact row is deleted) and `provider` (the identity provider of a one-click agreement) likewise.
 *   All three are null for agreements stored before this migration or without the fact (in-process requests).
 * - `agreements.invalidated_at` / `invalidation_id`: an invalidated agreement is marked, never deleted; it no longer
 *   counts. A reinstatement clears the mark and sets `reinstated_at`.
 * - `fraud_list_entries`: runtime block / allow lists of network prefixes (CIDR) and email domains; a removed entry
 *   keeps its row (`removed_at`), so the list's history is the table.
 * - `invalidations`: one staff request to invalidate the agreements a filter matches: requester, approver (another
 *   staff member), state, the planned and applied numbers, the published statement and its leaf index.
 * - `invalidation_targets`: the agreements the request froze when it was made (the number the approver saw).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table agreements
      add column network_prefix text check (network_prefix is null or length(network_prefix) <= 64),
      add column email_domain text check (email_domain is null or length(email_domain) <= 255),
      add column provider text check (provider is null or length(provider) <= 64),
      add column invalidated_at timestamptz,
      add column invalidation_id bigint,
      add column reinstated_at timestamptz`.execute(db);
  await sql`
    create table fraud_list_entries (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('prefix', 'domain')),
      value text not null check (length(value) between 1 and 255),
      action text not null check (action in ('block', 'allow')),
      reason text,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null,
      removed_by bigint references staff_accounts (id),
      removed_at timestamptz
    )`.execute(db);
  await sql`create unique index fraud_list_entries_live on fraud_list_entries (kind, value)
    where removed_at is null`.execute(db);
  await sql`
    create table invalidations (
      id bigint generated always as identity primary key,
      petition_id bigint not null references petitions (id),
      filter text not null,
      criteria_class text not null,
      reason_code integer not null check (reason_code between 0 and 65535),
      state text not null check (state in ('requested', 'running', 'done', 'cancelled', 'rejected')),
      planned integer not null check (planned >= 0),
      applied integer not null default 0 check (applied >= 0),
      requested_by bigint not null references staff_accounts (id),
      requested_at timestamptz not null,
      approved_by bigint references staff_accounts (id),
      approved_at timestamptz,
      ended_by bigint references staff_accounts (id),
      ended_at timestamptz,
      statement_text text,
      statement_idx bigint,
      constraint invalidations_four_eyes check (approved_by is null or approved_by <> requested_by)
    )`.execute(db);
  await sql`create index invalidations_petition on invalidations (petition_id, id)`.execute(db);
  await sql`
    create table invalidation_targets (
      invalidation_id bigint not null references invalidations (id),
      agreement_id bigint not null references agreements (id),
      applied_at timestamptz,
      primary key (invalidation_id, agreement_id)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists invalidation_targets, invalidations, fraud_list_entries`.execute(db);
  await sql`
    alter table agreements drop column network_prefix, drop column email_domain, drop column provider,
      drop column invalidated_at, drop column invalidation_id, drop column reinstated_at`.execute(db);
}
