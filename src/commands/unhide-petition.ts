import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import {
  assertTransition,
  closedWhileHidden,
  isHidden,
  isPetitionState,
  stateAfterUnhiding,
} from '../domain/petition-states.js';
import { type DecisionContext, type Outcome, runDecision } from './steps/moderation-decision.js';

/**
 * Un-hides a petition: back to `open` (deadline ahead) or `closed` (`stateAfterUnhiding`). A petition hidden from
 * review or after a rejection has no automatic way back.
 * @throws DomainError('invalid_transition')
 */
export async function unhidePetition(
  db: Kysely<Database>,
  ctx: DecisionContext,
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (_trx, p) => {
    const hiddenFrom = p.hidden_from;
    const to =
      isHidden(p.state) && isPetitionState(hiddenFrom)
        ? stateAfterUnhiding({ hiddenFrom, closesAt: p.closes_at }, ctx.now)
        : null;
    if (!to || !isPetitionState(hiddenFrom)) {
      throw new DomainError(
        'invalid_transition',
        isHidden(p.state)
          ? '검토 중이거나 거부된 뒤 숨긴 청원은 자동으로 되돌릴 수 없습니다. 공개하려면 공개 결정을 하십시오.'
          : '숨긴 청원이 아닙니다.',
        { from: p.state, hiddenFrom },
      );
    }
    assertTransition(p.state, to);
    const changes: Outcome['changes'] = { state: to, hidden_from: null };
    if (closedWhileHidden(hiddenFrom, to)) changes.closed_at = p.closes_at;
    return { decision: 'unhide', changes, notify: 'unhidden' };
  });
}
