import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { assertTransition } from '../domain/petition-states.js';
import { activeRejectReason } from '../repositories/moderation-settings.js';
import { type DecisionContext, runDecision } from './steps/moderation-decision.js';

/**
 * Rejects a petition in review with a reason from the editable list (`reject_reasons`, active ones); the public
 * reason is the list's text unless the moderator wrote one. Shown on the petition page.
 * @throws DomainError('invalid_parameter') for an unknown or inactive reason; DomainError('invalid_transition')
 */
export async function rejectPetition(
  db: Kysely<Database>,
  ctx: DecisionContext & { reasonCode: string; publicReason?: string | undefined },
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (trx, p) => {
    assertTransition(p.state, 'rejected');
    const reason = await activeRejectReason(trx, ctx.reasonCode);
    const publicReason = ctx.publicReason?.trim() || reason.public_text;
    return {
      decision: 'reject',
      notify: 'rejected',
      changes: { state: 'rejected', rejection_reason: publicReason },
      reasonCode: reason.code,
      publicReason,
    };
  });
}
