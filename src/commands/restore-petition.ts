import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { assertTransition, stateAfterRestoring } from '../domain/petition-states.js';
import { searchColumns } from '../domain/search-text.js';
import { type DecisionContext, runDecision } from './steps/moderation-decision.js';

/**
 * Restores a rejected petition (a rejection or take-down reversed): one never published goes back to the
 * moderation queue (`in_review`, from where it may be published), one taken down returns to `open` or `closed`
 * (`stateAfterRestoring`). The public reason and any withheld title are cleared and the search columns rebuilt
 * from the stored text. Audited (before/after); the creator is told.
 * @throws DomainError('invalid_transition') unless the petition is rejected; DomainError('checkout_required')
 */
export async function restorePetition(
  db: Kysely<Database>,
  ctx: DecisionContext,
): Promise<{ decisionId: string; state: 'in_review' | 'open' | 'closed' }> {
  let state: 'in_review' | 'open' | 'closed' = 'in_review';
  const result = await runDecision(db, ctx, async (_trx, p) => {
    if (p.state !== 'rejected') {
      throw new DomainError('invalid_transition', 'Only a rejected petition can be restored.', {
        from: p.state,
        to: 'in_review',
      });
    }
    state = stateAfterRestoring({ openedAt: p.opened_at, closesAt: p.closes_at }, ctx.now);
    assertTransition(p.state, state);
    return {
      decision: 'restore',
      notify: 'restored',
      changes: {
        state,
        rejection_reason: null,
        title_hidden: false,
        ...searchColumns(p.title, p.body),
        ...(state === 'in_review' ? { review_started_at: ctx.now } : {}),
        ...(state === 'closed' && p.closed_at === null ? { closed_at: p.closes_at } : {}),
      },
    };
  });
  return { ...result, state };
}
