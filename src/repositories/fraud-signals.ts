/**
 * Fraud signals, the reads (issue 13; rules in src/domain/fraud.ts). Staff pages only: prefixes and domains are
 * aggregates of many agreements here, and none of this is ever shown on a public page or in the dump.
 */
import { sql } from 'kysely';
import type { ListEntry, SignalBucket } from '../domain/fraud.js';
import type { Executor } from './petitions.js';

/** The live block / allow list entries (removed ones left out). */
export async function listLiveFraudEntries(
  db: Executor,
): Promise<Array<ListEntry & { id: string; reason: string | null; created_at: Date }>> {
  return await db
    .selectFrom('fraud_list_entries')
    .select(['id', 'kind', 'value', 'action', 'reason', 'created_at'])
    .where('removed_at', 'is', null)
    .orderBy('kind')
    .orderBy('value')
    .execute();
}

/** The dimensions a petition's agreements are grouped by. `hour` is the UTC hour (`2026-12-07T13`). */
export type SignalDimension = 'prefix' | 'domain' | 'provider' | 'hour';

const COLUMN: Record<SignalDimension, ReturnType<typeof sql.raw>> = {
  prefix: sql.raw(`coalesce(network_prefix, '(unknown)')`),
  domain: sql.raw(`coalesce(email_domain, '(none)')`),
  provider: sql.raw(`coalesce(provider, case when method = 'email' then '(email)' else '(unknown)' end)`),
  hour: sql.raw(`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24')`),
};

/**
 * A petition's counted agreements grouped by one dimension: per key, how many, and the busiest UTC minute. The
 * `limit` largest keys (by count), largest first.
 */
export async function signalBuckets(
  db: Executor,
  petitionId: string,
  dimension: SignalDimension,
  limit = 50,
): Promise<SignalBucket[]> {
  const key = COLUMN[dimension];
  const rows = await sql<{ key: string; agreements: string; peak: string }>`
    select key, sum(n)::text as agreements, max(n)::text as peak from (
      select ${key} as key, date_trunc('minute', created_at) as minute, count(*) as n
      from agreements
      where petition_id = ${petitionId} and confirmed_at is not null and invalidated_at is null
      group by 1, 2) as m
    group by key
    order by sum(n) desc, key
    limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    key: r.key,
    agreements: Number(r.agreements),
    peakPerMinute: Number(r.peak),
  }));
}

/** Agreements per UTC minute of one prefix / domain / provider key of a petition (a chart's series), oldest first. */
export async function perMinuteSeries(
  db: Executor,
  petitionId: string,
  dimension: Exclude<SignalDimension, 'hour'>,
  key: string,
  limit = 240,
): Promise<Array<{ minute: Date; agreements: number }>> {
  const col = COLUMN[dimension];
  const rows = await sql<{ minute: Date; n: string }>`
    select date_trunc('minute', created_at) as minute, count(*)::text as n
    from agreements
    where petition_id = ${petitionId} and confirmed_at is not null and invalidated_at is null and ${col} = ${key}
    group by 1 order by 1 desc limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({ minute: new Date(r.minute), agreements: Number(r.n) })).reverse();
}
