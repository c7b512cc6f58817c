import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { debateOutcomeInput } from '../domain/debate-outcome.js';
import { assertDebateTransition, isDebateState } from '../domain/response-track.js';
import { enqueueTrackNotices } from '../notifications/outbox.js';
import { insertTrackEvent, saveDebateOutcome, setDebateState } from '../repositories/writes/tracks.js';
import { runTrackAction, type TrackContext } from './steps/track-action.js';

/**
 * UK: records that Parliament debated a petition, with what the debate produced (the date, links to the
 * transcript, the video and the research, a summary): debate state scheduled → debated (final). The page shows
 * "Parliament debated this petition" with the links; signers and the creator are mailed; audited.
 * @throws DomainError('invalid_parameter', `{ fields }`) for a bad date, a non-https link, an overlong summary;
 *   DomainError('invalid_transition') unless a debate was scheduled
 */
export async function recordDebateOutcome(
  db: Kysely<Database>,
  ctx: TrackContext & {
    debatedOn: string;
    overview?: string | null;
    transcriptUrl?: string | null;
    videoUrl?: string | null;
    researchUrl?: string | null;
  },
): Promise<void> {
  const o = debateOutcomeInput(ctx);
  await runTrackAction(db, ctx, 'debate', 'petition.debated', async (trx, p) => {
    const from = isDebateState(p.debate_state) ? p.debate_state : 'none';
    assertDebateTransition(from, 'debated');
    await setDebateState(trx, p.id, 'debated', null, ctx.now);
    await saveDebateOutcome(trx, p.id, { debated: true, ...o }, ctx.now);
    await insertTrackEvent(trx, {
      petitionId: p.id,
      track: 'debate',
      stage: 'debated',
      occurredOn: o.debatedOn,
      bodyName: null,
      note: o.overview,
      staffId: ctx.actor.staffId,
      at: ctx.now,
    });
    await enqueueTrackNotices(
      trx,
      p.id,
      'debate_outcome',
      { stage: 'debated', on: o.debatedOn, note: o.overview, bodyName: null, debated: true },
      ctx.now,
    );
    return { before: { debate_state: from }, after: { debate_state: 'debated', ...o } };
  });
}
