import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { appendAudit } from '../../repositories/writes/audit.js';

/** Who the audit log names for the lifecycle scheduler's transitions. */
export const SCHEDULER_ACTOR = 'scheduler';

/**
 * Appends the audit entry of one time-driven transition (a step of the scheduler's commands, not a use case), in
 * the transaction that makes the change.
 * @param action dotted verb: 'petition.close', 'petition.lapse', 'response.overdue', 'petition.review_overdue'
 * @param change the petition's relevant fields before and after (instants as ISO strings)
 */
export function auditTransition(
  trx: Transaction<Database>,
  now: Date,
  petitionId: string,
  action: string,
  change: { before?: Record<string, unknown>; after: Record<string, unknown> },
): Promise<void> {
  return appendAudit(trx, {
    at: now,
    staffId: null,
    actor: SCHEDULER_ACTOR,
    action,
    subjectType: 'petition',
    subjectId: petitionId,
    ...change,
  });
}
