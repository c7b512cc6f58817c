/**
 * The locked recount of one petition (`reconcile --fix`): the petition's row is locked and its confirmed agreement
 * rows counted in the caller's transaction, so the count written next (`writeCount`) cannot race the agreement
 * writer.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { COUNTED_COLUMNS, type CountedPetition } from '../../domain/count-effects.js';

/** A petition locked for a recount: its counted facts (as stored, before the fix) and its confirmed rows. */
export interface LockedRecount {
  petition: CountedPetition;
  /** Confirmed agreement rows of the petition, counted under the lock. */
  confirmed: number;
}

/**
 * Locks petition `petitionId` (`select … for update`, held until the caller's transaction ends) and counts its
 * confirmed agreements.
 * @param petitionId decimal petition number
 * @throws NoResultError (kysely) when no petition has this id
 */
export async function lockForRecount(trx: Transaction<Database>, petitionId: string): Promise<LockedRecount> {
  const petition = await trx
    .selectFrom('petitions')
    .select(COUNTED_COLUMNS)
    .where('id', '=', petitionId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const counted = await trx
    .selectFrom('agreements')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('petition_id', '=', petitionId)
    .where('confirmed_at', 'is not', null)
    .where('invalidated_at', 'is', null) // an invalidated agreement is kept but not counted
    .executeTakeFirstOrThrow();
  return { petition, confirmed: Number(counted.n) };
}
