/**
 * Reads of the agreement counts against their rows (for `counting/reconcile.ts`). The locked recount of one
 * petition, taken before its count is rewritten, is in writes/recount.ts.
 */
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
