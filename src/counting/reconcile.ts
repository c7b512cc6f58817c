import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CountRules } from '../domain/count-effects.js';
import { type CountDrift, findCountDrift } from '../repositories/counts.js';
import { writeCount } from '../repositories/writes/agreement-batches.js';
import { lockForRecount } from '../repositories/writes/recount.js';

export type { CountDrift } from '../repositories/counts.js';

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
    effects?: (trx: Transaction<Database>, petitionIds: string[], now: Date) => Promise<void>;
  } & CountRules,
): Promise<CountDrift[]> {
  const drift = await findCountDrift(db);
  if (options.fix) {
    for (const d of drift) {
      await db.transaction().execute(async (trx) => {
        const { petition, confirmed } = await lockForRecount(trx, d.petitionId);
        const now = options.now ?? new Date();
        await writeCount(trx, petition, confirmed, now, options);
        await options.effects?.(trx, [d.petitionId], now);
      });
    }
  }
  return drift;
}
