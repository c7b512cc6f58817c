import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/staff.js';
import { appendAudit } from '../repositories/writes/audit.js';
import { endInvalidationRow, lockInvalidation } from '../repositories/writes/invalidations.js';

/**
 * Stops an invalidation: a request not yet approved is rejected; a running one is cancelled — the batches already
 * committed stay (each is a complete, logged change), no further batch runs.
 * @throws DomainError('not_found'); DomainError('invalidation_not_pending') when it has already ended
 */
export async function cancelInvalidation(
  deps: { db: Kysely<Database>; now: () => Date },
  actor: Actor & { staffId: string },
  invalidationId: string,
): Promise<{ state: 'cancelled' | 'rejected'; applied: number }> {
  const at = deps.now();
  return await deps.db.transaction().execute(async (trx) => {
    const inv = await lockInvalidation(trx, invalidationId);
    if (!inv) throw new DomainError('not_found', 'There is no such invalidation request.');
    if (inv.state !== 'requested' && inv.state !== 'running')
      throw new DomainError('invalidation_not_pending', 'This invalidation has already ended.');
    const state = inv.state === 'requested' ? 'rejected' : 'cancelled';
    await endInvalidationRow(trx, inv.id, state, actor.staffId, at);
    await appendAudit(trx, {
      at,
      staffId: actor.staffId,
      actor: actor.name,
      action: state === 'rejected' ? 'invalidation.reject' : 'invalidation.cancel',
      subjectType: 'petition',
      subjectId: inv.petition_id,
      before: { invalidation: inv.id, state: inv.state, applied: inv.applied },
      after: { invalidation: inv.id, state, applied: inv.applied },
    });
    return { state, applied: inv.applied };
  });
}
