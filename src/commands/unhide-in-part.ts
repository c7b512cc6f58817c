import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { unrestoredRedactions } from '../repositories/moderation-review.js';
import { markRedactionsRestored } from '../repositories/writes/moderation.js';
import { type DecisionContext, type Outcome, runDecision } from './steps/moderation-decision.js';

/**
 * Restores the text hidden in part: title and body go back to their text before the first unrestored redaction.
 * @throws DomainError('invalid_transition') when nothing is hidden in part
 */
export async function unhideInPart(
  db: Kysely<Database>,
  ctx: DecisionContext,
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (trx, p) => {
    const redactions = await unrestoredRedactions(trx, p.id);
    if (redactions.length === 0) {
      throw new DomainError('invalid_transition', '일부 숨긴 부분이 없습니다.', { from: p.state });
    }
    const changes: Outcome['changes'] = { hidden_in_part: false };
    for (const field of ['title', 'body'] as const) {
      const first = redactions.find((r) => r.field === field);
      if (first) changes[field] = first.original_text;
    }
    await markRedactionsRestored(
      trx,
      redactions.map((r) => r.id),
      ctx.now,
    );
    return { decision: 'unhide_in_part', changes };
  });
}
