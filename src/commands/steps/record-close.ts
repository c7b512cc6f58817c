import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { effectiveThresholds } from '../../domain/count-effects.js';
import type { PolicySettings } from '../../domain/policy-profiles.js';
import { enqueueCreatorNotification } from '../../notifications/outbox.js';
import { auditTransition } from './scheduler-audit.js';

/**
 * What closing a petition brings besides its state, in the transaction that closes it (a step of
 * close-due-petitions and of unhide-petition, whose petition may have passed its deadline while hidden): the
 * creator's mail (`creator.closed`, once per petition: final count and threshold) and the audit entry
 * `petition.close`.
 * @param p the petition as it was before closing (count, own thresholds, state)
 * @param closedAt the instant it closed (UTC; the deadline)
 */
export async function recordClose(
  trx: Transaction<Database>,
  p: {
    id: string;
    state: string;
    agreement_count: number;
    response_threshold: number | null;
    debate_threshold: number | null;
  },
  settings: PolicySettings,
  closedAt: Date,
  now: Date,
): Promise<void> {
  const threshold = effectiveThresholds(p, settings).response;
  await enqueueCreatorNotification(trx, p.id, 'creator.closed', { count: p.agreement_count, threshold }, now);
  await auditTransition(trx, now, p.id, 'petition.close', {
    before: { state: p.state },
    after: { state: 'closed', closed_at: closedAt.toISOString() },
  });
}
