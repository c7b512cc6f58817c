import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { assertTransition, isPublic } from '../domain/petition-states.js';
import { rejection } from './reject-petition.js';
import { type DecisionContext, runDecision } from './steps/moderation-decision.js';

/**
 * Takes a published petition (open or closed) down with a public reason from the reject-reason list: it becomes
 * `rejected`, stops taking agreements, keeps its count and dates, and its page shows the reason (e-petitions:
 * "This petition was removed …"; a reason that hides the title withholds that too). The creator is told; the
 * decision is audited. `restorePetition` undoes it.
 * @throws DomainError('invalid_transition') for a petition that is not published; DomainError('invalid_parameter')
 *   for an unknown reason; DomainError('checkout_required')
 */
export async function takeDownPetition(
  db: Kysely<Database>,
  ctx: DecisionContext & { reasonCode: string; publicReason?: string | undefined },
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (trx, p) => {
    if (!isPublic(p.state)) {
      throw new DomainError(
        'invalid_transition',
        'Only a published petition (open or closed) can be taken down; reject one in moderation instead.',
        { from: p.state, to: 'rejected' },
      );
    }
    assertTransition(p.state, 'rejected');
    return rejection(trx, ctx, p, 'takedown');
  });
}
