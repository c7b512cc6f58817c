import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { assertTransition } from '../domain/petition-states.js';
import { type DecisionContext, runDecision } from './steps/moderation-decision.js';

/**
 * Hides a whole petition (state `hidden`, remembering the state it was in).
 * @throws DomainError('invalid_transition') from states that cannot be hidden
 */
export async function hidePetition(
  db: Kysely<Database>,
  ctx: DecisionContext,
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (_trx, p) => {
    assertTransition(p.state, 'hidden');
    return { decision: 'hide', changes: { state: 'hidden', hidden_from: p.state }, notify: 'hidden' };
  });
}
