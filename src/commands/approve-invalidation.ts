import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { assertFourEyes, invalidationStatement } from '../domain/fraud.js';
import type { Actor } from '../domain/staff.js';
import { appendAudit } from '../repositories/writes/audit.js';
import { approveInvalidationRow, lockInvalidation } from '../repositories/writes/invalidations.js';

/**
 * The second pair of eyes: another staff member approves a requested invalidation, fixing the public statement
 * (how many, when, reason class, criteria class). The run itself is `runInvalidation` (batches, cancellable).
 * @throws DomainError('not_found'); DomainError('four_eyes_required') when the approver asked for it;
 *   DomainError('invalidation_not_pending') when it is not waiting for approval
 */
export async function approveInvalidation(
  deps: { db: Kysely<Database>; now: () => Date },
  actor: Actor & { staffId: string },
  invalidationId: string,
): Promise<{ statement: string }> {
  const at = deps.now();
  return await deps.db.transaction().execute(async (trx) => {
    const inv = await lockInvalidation(trx, invalidationId);
    if (!inv) throw new DomainError('not_found', 'There is no such invalidation request.');
    assertFourEyes({ requestedBy: inv.requested_by, state: inv.state }, actor.staffId);
    const statement = invalidationStatement({
      petitionId: inv.petition_id,
      invalidationId: inv.id,
      count: inv.planned,
      reasonCode: inv.reason_code,
      criteria: inv.criteria_class,
      approvedAt: at,
    });
    await approveInvalidationRow(trx, inv.id, actor.staffId, at, statement);
    await appendAudit(trx, {
      at,
      staffId: actor.staffId,
      actor: actor.name,
      action: 'invalidation.approve',
      subjectType: 'petition',
      subjectId: inv.petition_id,
      before: { invalidation: inv.id, state: inv.state, requestedBy: inv.requested_by },
      after: { invalidation: inv.id, state: 'running', planned: inv.planned },
    });
    return { statement };
  });
}
