import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { assertTransition, isPetitionState, isPublic, isReviewable } from '../domain/petition-states.js';
import { isRecordNumber } from '../domain/record-numbers.js';
import { activeRejectReason } from '../repositories/moderation-settings.js';
import { findPetition } from '../repositories/petitions.js';
import { type DecisionContext, runDecision } from './steps/moderation-decision.js';

/**
 * Marks a petition as a duplicate of petition `of` (which must exist and be public): one in review is rejected with
 * the 'duplicate' reason; a public one keeps its state. Either way its page points to `of`.
 * @throws DomainError('invalid_parameter') when `of` is itself, unknown or not public
 */
export async function markDuplicate(
  db: Kysely<Database>,
  ctx: DecisionContext & { of: string },
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (trx, p) => {
    if (!isRecordNumber(ctx.of) || ctx.of === p.id) {
      throw new DomainError(
        'invalid_parameter',
        '원래 청원 번호가 올바르지 않습니다 (자기 자신은 안 됩니다).',
        { fields: ['of'] },
      );
    }
    const original = await findPetition(trx, ctx.of);
    if (!original || !isPetitionState(original.state) || !isPublic(original.state)) {
      throw new DomainError('invalid_parameter', `${ctx.of}번 청원은 공개된 청원이 아닙니다.`, {
        fields: ['of'],
      });
    }
    const reason = await activeRejectReason(trx, 'duplicate');
    const publicReason = `${reason.public_text} (${ctx.of}번 청원)`;
    if (isReviewable(p.state)) {
      assertTransition(p.state, 'rejected');
      return {
        decision: 'duplicate',
        notify: 'rejected',
        changes: { state: 'rejected', duplicate_of: ctx.of, rejection_reason: publicReason },
        reasonCode: 'duplicate',
        publicReason,
      };
    }
    if (!isPublic(p.state)) assertTransition(p.state, 'rejected');
    return {
      decision: 'duplicate',
      changes: { duplicate_of: ctx.of },
      reasonCode: 'duplicate',
      publicReason,
    };
  });
}
