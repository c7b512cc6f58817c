/**
 * Reads of the agreement counts against their rows (for `counting/reconcile.ts`). The locked recount of one
 * petition, taken before its count is rewritten, is in writes/recount.ts.
 */
import { sql } from 'kysely';
import type { Executor } from './petitions.js';

/** A petition whose stored count differs from its confirmed agreement rows. */
export interface CountDrift {
  /** Decimal petition number. */
  petitionId: string;
  /** The stored count (`petitions.agreement_count`). */
  stored: number;
  /** Confirmed agreement rows of the petition. */
  rows: number;
}

/**
 * Recounts every petition's confirmed agreements from its rows in one grouped query and returns those whose stored
 * count differs. Only petitions with a stored count or with rows are compared; archived totals
 * (`archived_agreement_count`: imported, no rows) are not part of the recount.
 * @returns the drifting petitions, ordered by id ([] when every count matches its rows)
 */
export async function findCountDrift(db: Executor): Promise<CountDrift[]> {
  const rows = await db
    .selectFrom('petitions as p')
    .leftJoin(
      db
        .selectFrom('agreements')
        .select(['petition_id', (eb) => eb.fn.countAll<string>().as('n')])
        .where('confirmed_at', 'is not', null)
        .where('invalidated_at', 'is', null) // an invalidated agreement is kept but not counted
        .groupBy('petition_id')
        .as('a'),
      'a.petition_id',
      'p.id',
    )
    .select(['p.id', 'p.agreement_count', 'a.n'])
    .where((eb) => eb.or([eb('p.agreement_count', '<>', 0), eb('a.n', 'is not', null)]))
    .orderBy('p.id')
    .execute();
  return rows
    .map((r) => ({ petitionId: r.id, stored: r.agreement_count, rows: Number(r.n ?? 0) }))
    .filter((d) => d.stored !== d.rows);
}

/** A petition with a transparency log, its sizes and counts as stored (for `reconcileLogs`). */
export interface LoggedPetition {
  petitionId: string;
  /** `petitions.log_size`. */
  logSize: number;
  /** Stored entries (`log_entries` rows). */
  entries: number;
  /** One past the highest stored index (equals `entries` when there is no gap). */
  span: number;
  /** The stored count (`petitions.agreement_count`). */
  stored: number;
  /** Confirmed agreement rows. */
  rows: number;
  /** Confirmed agreement rows with no leaf. */
  leafless: number;
  /** Leaves whose agreement row is not a confirmed agreement of this petition. */
  strayLeaves: number;
}

/**
 * Every petition with a transparency log (`petition_logs`) or a log size, with what `reconcileLogs` compares.
 * @returns ordered by id
 */
export async function listLoggedPetitions(db: Executor): Promise<LoggedPetition[]> {
  const rows = await sql<{
    id: string;
    log_size: string;
    agreement_count: number;
    entries: string;
    span: string;
    rows: string;
    leafless: string;
    stray: string;
  }>`
    select p.id::text, p.log_size::text, p.agreement_count,
      (select count(*) from log_entries l where l.petition_id = p.id)::text as entries,
      (select coalesce(max(idx) + 1, 0) from log_entries l where l.petition_id = p.id)::text as span,
      (select count(*) from agreements a where a.petition_id = p.id and a.confirmed_at is not null
         and a.invalidated_at is null)::text as rows,
      (select count(*) from agreements a where a.petition_id = p.id and a.confirmed_at is not null
         and not exists (select 1 from log_entries l where l.agreement_id = a.id))::text as leafless,
      (select count(*) from log_entries l left join agreements a on a.id = l.agreement_id
         where l.petition_id = p.id and l.agreement_id is not null
           and (a.id is null or a.petition_id <> p.id or a.confirmed_at is null))::text as stray
    from petitions p
    where p.log_size > 0 or exists (select 1 from petition_logs pl where pl.petition_id = p.id)
    order by p.id`.execute(db);
  return rows.rows.map((r) => ({
    petitionId: r.id,
    logSize: Number(r.log_size),
    entries: Number(r.entries),
    span: Number(r.span),
    stored: r.agreement_count,
    rows: Number(r.rows),
    leafless: Number(r.leafless),
    strayLeaves: Number(r.stray),
  }));
}
