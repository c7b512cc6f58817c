import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CountRules } from '../domain/count-effects.js';
import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/staff.js';
import { encodeReinstatementEntry } from '../domain/tlog/entries.js';
import { appendAudit } from '../repositories/writes/audit.js';
import {
  agreementPetition,
  insertLogEntries,
  lockAgreementForReinstatement,
  lockCountedPetition,
  markReinstated,
  takeLogIndices,
  writeInvalidatedCount,
} from '../repositories/writes/invalidations.js';

/**
 * Reinstates one invalidated agreement (a signer asked, and staff found the agreement genuine): it counts again,
 * the log gets a reinstatement entry (its leaf, the invalidation's statement leaf), the count and its threshold
 * effects are set through `writeCount`, and the action is audited.
 * @throws DomainError('not_found') for an unknown agreement; DomainError('invalidation_not_pending') when the
 *   agreement is not invalidated
 */
export async function reinstateAgreement(
  deps: { db: Kysely<Database>; now: () => Date; rules: CountRules },
  actor: Actor & { staffId: string },
  agreementId: string,
  note: string | null = null,
): Promise<{ petitionId: string; entryIndex: number | null }> {
  if (!/^[1-9][0-9]{0,17}$/.test(agreementId))
    throw new DomainError('not_found', 'There is no such agreement.');
  const at = deps.now();
  return await deps.db.transaction().execute(async (trx) => {
    const owner = await agreementPetition(trx, agreementId);
    if (!owner) throw new DomainError('not_found', 'There is no such agreement.');
    const petition = await lockCountedPetition(trx, owner); // the petition first, as every count writer
    const a = await lockAgreementForReinstatement(trx, agreementId);
    if (!a || a.invalidated_at === null)
      throw new DomainError('invalidation_not_pending', 'This agreement is not invalidated.');
    let entryIndex: number | null = null;
    if (a.leaf !== null && a.statement_idx !== null) {
      entryIndex = await takeLogIndices(trx, a.petition_id, 1);
      if (entryIndex !== null)
        await insertLogEntries(trx, a.petition_id, entryIndex, [
          encodeReinstatementEntry({ target: a.leaf, statement: a.statement_idx }),
        ]);
    }
    await markReinstated(trx, a.id, at);
    await writeInvalidatedCount(trx, petition, petition.agreement_count + 1, at, deps.rules);
    await appendAudit(trx, {
      at,
      staffId: actor.staffId,
      actor: actor.name,
      action: 'invalidation.reinstate',
      subjectType: 'petition',
      subjectId: a.petition_id,
      reason: note,
      after: { agreement: a.id, invalidation: a.invalidation_id, entryIndex },
    });
    return { petitionId: a.petition_id, entryIndex };
  });
}
