import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { notDebatedReason } from '../domain/debate-outcome.js';
import { assertDebateTransition, isDebateState } from '../domain/response-track.js';
import { enqueueTrackNotices } from '../notifications/outbox.js';
import { insertTrackEvent, saveDebateOutcome, setDebateState } from '../repositories/writes/tracks.js';
import { runTrackAction, type TrackContext } from './steps/track-action.js';

/**
 * UK: the Petitions Committee decides not to debate a petition (e.g. it was debated recently), with a public
 * reason: debate state awaiting or scheduled → not_debated (final). The page says "Parliament decided not to debate
 * this petition" with the reason; signers and the creator are mailed; audited.
 * @throws DomainError('invalid_parameter') for an empty reason; DomainError('invalid_transition')
 */
export async function decideNotToDebate(
  db: Kysely<Database>,
  ctx: TrackContext & { reason: string },
): Promise<void> {
  const reason = notDebatedReason(ctx.reason);
  await runTrackAction(db, ctx, 'debate', 'petition.not_debated', async (trx, p) => {
    const from = isDebateState(p.debate_state) ? p.debate_state : 'none';
    assertDebateTransition(from, 'not_debated');
    await setDebateState(trx, p.id, 'not_debated', null, ctx.now);
    const none = { transcriptUrl: null, videoUrl: null, researchUrl: null };
    await saveDebateOutcome(
      trx,
      p.id,
      { debated: false, debatedOn: null, overview: reason, ...none },
      ctx.now,
    );
    await insertTrackEvent(trx, {
      petitionId: p.id,
      track: 'debate',
      stage: 'not_debated',
      occurredOn: null,
      bodyName: null,
      note: reason,
      staffId: ctx.actor.staffId,
      at: ctx.now,
    });
    await enqueueTrackNotices(
      trx,
      p.id,
      'debate_outcome',
      { stage: 'not_debated', on: null, note: reason, bodyName: null, debated: false },
      ctx.now,
    );
    return { before: { debate_state: from }, after: { debate_state: 'not_debated', reason } };
  });
}
