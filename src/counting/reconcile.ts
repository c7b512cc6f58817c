import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { COUNTED_COLUMNS, type CountRules } from '../domain/count-effects.js';
import { writeCount } from '../repositories/writes/agreement-batches.js';

export interface CountDrift {
  petitionId: string;
  /** The stored count (`petitions.agreement_count`). */
  stored: number;
  /** Confirmed agreement rows of the petition. */
  rows: number;
}

/**
 * Recounts every petition's agreements from its rows and reports where the stored count differs (the drift).
 * With `fix`, each drifting petition is locked and set to its recount through `writeCount` — so a threshold whose
 * count falls back below it is undone, as the rules require — and `effects`, when given, writes what follows in the
 * same transaction (the CLI queues the threshold mail: a count raised across a threshold by a fix is a crossing
 * like any other). After every test the drift is empty.
 * Archived totals (imported, no rows) are not part of the recount.
 * @returns the petitions whose count drifted (before any fix), ordered by id
 */
export async function reconcileCounts(
  db: Kysely<Database>,
  options: {
    fix?: boolean;
    now?: Date;
    effects?: (trx: Kysely<Database>, petitionIds: string[], now: Date) => Promise<void>;
  } & CountRules,
): Promise<CountDrift[]> {
  const rows = await db
    .selectFrom('petitions as p')
    .leftJoin(
      db
        .selectFrom('agreements')
        .select(['petition_id', (eb) => eb.fn.countAll<string>().as('n')])
        .where('confirmed_at', 'is not', null)
        .groupBy('petition_id')
        .as('a'),
      'a.petition_id',
      'p.id',
    )
    .select(['p.id', 'p.agreement_count', 'a.n'])
    .where((eb) => eb.or([eb('p.agreement_count', '<>', 0), eb('a.n', 'is not', null)]))
    .orderBy('p.id')
    .execute();
  const drift = rows
    .map((r) => ({ petitionId: r.id, stored: r.agreement_count, rows: Number(r.n ?? 0) }))
    .filter((d) => d.stored !== d.rows);
  if (options.fix) {
    for (const d of drift) {
      await db.transaction().execute(async (trx) => {
        const p = await trx
          .selectFrom('petitions')
          .select(COUNTED_COLUMNS)
          .where('id', '=', d.petitionId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const counted = await trx
          .selectFrom('agreements')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('petition_id', '=', d.petitionId)
          .where('confirmed_at', 'is not', null)
          .executeTakeFirstOrThrow();
        const now = options.now ?? new Date();
        await writeCount(trx, p, Number(counted.n), now, options);
        await options.effects?.(trx, [d.petitionId], now);
      });
    }
  }
  return drift;
}
