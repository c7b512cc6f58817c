import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { closeDecision } from '../domain/lifecycle.js';
import {
  assertTransition,
  closedWhileHidden,
  isHidden,
  isPetitionState,
  stateAfterUnhiding,
} from '../domain/petition-states.js';
import { effectiveSettings, getProfile } from '../domain/policy-profiles.js';
import { loadProfileOverrides } from '../repositories/profile-settings.js';
import { type DecisionContext, type Outcome, runDecision } from './steps/moderation-decision.js';
import { recordClose } from './steps/record-close.js';

/**
 * Un-hides a petition: back to `open` (deadline ahead) or `closed` (`stateAfterUnhiding`). A petition hidden from
 * review or after a rejection has no automatic way back.
 * @throws DomainError('invalid_transition')
 */
export async function unhidePetition(
  db: Kysely<Database>,
  ctx: DecisionContext,
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (trx, p) => {
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
    if (closedWhileHidden(hiddenFrom, to) && p.closes_at) {
      // its deadline passed while it was hidden: it closes now with everything closing brings (the deadline as
      // closed_at, the answer deadline that runs from the close, the creator's mail, the audit entry)
      const profile = getProfile(p.profile);
      const settings = effectiveSettings(profile, await loadProfileOverrides(trx, profile.code));
      const close = closeDecision(
        {
          state: hiddenFrom,
          closesAt: p.closes_at,
          closedAt: null,
          responseState: p.response_state,
          responseThresholdReachedAt: p.response_threshold_reached_at,
        },
        settings,
        profile.timeZone,
        ctx.now,
      );
      if (close) {
        changes.closed_at = close.closedAt;
        if (close.responseDueAt !== undefined) changes.response_due_at = close.responseDueAt;
        await recordClose(trx, p, settings, close.closedAt, ctx.now);
      }
    }
    return { decision: 'unhide', changes, notify: 'unhidden' };
  });
}
