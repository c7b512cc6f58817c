/**
 * Reads of the open data: the live counter of one petition (API), its agreements per day and per region (counts
 * only, never a signer), and the keyset pages and count the daily dump reads. The dump's official responses come
 * from `responsesForPetitions` (petitions.ts).
 */
import { sql } from 'kysely';
import type { AreaScope, PetitionRow } from '../db/schema.js';
import type { PetitionState } from '../domain/petition-states.js';
import type { Executor } from './petitions.js';

/** The columns the live counter needs: one primary-key lookup, no body. */
export type PetitionCountRow = Pick<
  PetitionRow,
  | 'id'
  | 'profile'
  | 'state'
  | 'response_state'
  | 'public_count'
  | 'archived_agreement_count'
  | 'response_threshold'
  | 'debate_threshold'
  | 'response_threshold_reached_at'
  | 'debate_threshold_reached_at'
  | 'closes_at'
  | 'updated_at'
>;

/** The counter of petition `id` (decimal petition number), or undefined. One primary-key lookup. */
export async function findPetitionCount(db: Executor, id: string): Promise<PetitionCountRow | undefined> {
  return db
    .selectFrom('petitions')
    .select([
      'id',
      'profile',
      'state',
      'response_state',
      'public_count',
      'archived_agreement_count',
      'response_threshold',
      'debate_threshold',
      'response_threshold_reached_at',
      'debate_threshold_reached_at',
      'closes_at',
      'updated_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Confirmed agreements of one local day. */
export interface DayCount {
  /** Local calendar date 'YYYY-MM-DD' in the time zone asked for. */
  day: string;
  count: number;
}

/**
 * Confirmed agreements of a petition per local day of `timeZone` (IANA name, e.g. 'Asia/Seoul'), by the moment of
 * confirmation, oldest day first; days without agreements are left out. Only counts leave the database: no row,
 * no signer key, no time finer than the day. Archived petitions have no agreement rows and give [].
 */
export async function agreementsByDay(
  db: Executor,
  petitionId: string,
  timeZone: string,
): Promise<DayCount[]> {
  const result = await sql<{ day: string; count: string }>`
    select to_char((confirmed_at at time zone ${timeZone})::date, 'YYYY-MM-DD') as day, count(*) as count
    from agreements
    where petition_id = ${petitionId} and confirmed_at is not null and invalidated_at is null
    group by 1
    order by 1`.execute(db);
  return result.rows.map((r) => ({ day: r.day, count: Number(r.count) }));
}

/** Confirmed agreements with one region code (null: the signer gave none). */
export interface RegionCount {
  region: string | null;
  count: number;
}

/**
 * Confirmed agreements of a petition per region the signers gave (a `RegionCode` of src/domain/identity.ts, or
 * null when none was given); regions without agreements are left out, order unspecified. Archived petitions give [].
 */
export async function agreementsByRegion(db: Executor, petitionId: string): Promise<RegionCount[]> {
  const rows = await db
    .selectFrom('agreements')
    .select(['region', (eb) => eb.fn.countAll<string>().as('count')])
    .where('petition_id', '=', petitionId)
    .where('confirmed_at', 'is not', null)
    .where('invalidated_at', 'is', null)
    .groupBy('region')
    .execute();
  return rows.map((r) => ({ region: r.region, count: Number(r.count) }));
}

/** One area's signatures as an archive source published them (no agreement rows behind the number). */
export interface ArchivedAreaCount {
  scope: AreaScope;
  code: string;
  name: string;
  /** The constituency's MP when the source counted (constituencies only; null otherwise or when not given). */
  mp: string | null;
  count: number;
}

/**
 * The imported area counts of an archived petition (UK signatures by country, constituency, region), in the
 * source's order within each scope; [] for a petition without any (every live petition, every Korean archive).
 * @param scope one scope, or all of them (ordered by scope name: constituency, country, region)
 */
export async function archivedAreaCounts(
  db: Executor,
  petitionId: string,
  scope?: AreaScope,
): Promise<ArchivedAreaCount[]> {
  let q = db
    .selectFrom('archived_area_counts')
    .select(['scope', 'code', 'name', 'mp', 'signature_count as count'])
    .where('petition_id', '=', petitionId);
  if (scope) q = q.where('scope', '=', scope);
  const rows = await q.orderBy('scope').orderBy('position').execute();
  return rows;
}

/**
 * The imported area counts of many archived petitions at once (a dump page), in one query: per petition, ordered
 * by scope name (constituency, country, region) then the source's order, as `archivedAreaCounts` gives them.
 * @param petitionIds decimal petition numbers
 * @returns petition id → its area counts (petitions without any are absent)
 */
export async function archivedAreaCountsFor(
  db: Executor,
  petitionIds: readonly string[],
): Promise<Map<string, ArchivedAreaCount[]>> {
  const out = new Map<string, ArchivedAreaCount[]>();
  if (petitionIds.length === 0) return out;
  const rows = await db
    .selectFrom('archived_area_counts')
    .select(['petition_id', 'scope', 'code', 'name', 'mp', 'signature_count as count'])
    .where('petition_id', 'in', [...petitionIds])
    .orderBy('petition_id')
    .orderBy('scope')
    .orderBy('position')
    .execute();
  for (const { petition_id, ...count } of rows) {
    const list = out.get(petition_id) ?? [];
    list.push(count);
    out.set(petition_id, list);
  }
  return out;
}

/** What an archive source said about a petition beyond its columns (UK debate, departments, …), or null. */
export async function archivedPetitionDetails(
  db: Executor,
  petitionId: string,
): Promise<Record<string, unknown> | null> {
  const row = await db
    .selectFrom('archived_petition_details')
    .select('details')
    .where('petition_id', '=', petitionId)
    .executeTakeFirst();
  return row?.details ?? null;
}

/**
 * One page of petitions in `states`, in id order after `afterId` (keyset pagination: each page is one short
 * indexed query, so a dump of a national archive never holds a transaction — or PGlite's only connection — for
 * long).
 * @param afterId decimal id; '0' for the first page
 * @param limit rows per page (≥ 1)
 * @returns whole petition rows, ascending id; [] after the last page
 */
export async function petitionsAfter(
  db: Executor,
  states: readonly PetitionState[],
  afterId: string,
  limit: number,
): Promise<PetitionRow[]> {
  return db
    .selectFrom('petitions')
    .selectAll()
    .where('state', 'in', [...states])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Number of petitions in `states` (a named group such as `PUBLIC_STATES`). */
export async function countPetitions(db: Executor, states: readonly PetitionState[]): Promise<number> {
  const row = await db
    .selectFrom('petitions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('state', 'in', [...states])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
