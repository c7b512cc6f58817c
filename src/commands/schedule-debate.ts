import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { checkDebateDate } from '../domain/debate-outcome.js';
import { assertDebateTransition, isDebateState } from '../domain/response-track.js';
import { enqueueTrackNotices } from '../notifications/outbox.js';
import { insertTrackEvent, setDebateState } from '../repositories/writes/tracks.js';
import { runTrackAction, type TrackContext } from './steps/track-action.js';

/**
 * UK: the Petitions Committee schedules a debate on a petition that reached the debate threshold (debate state
 * awaiting → scheduled; a scheduled debate may be moved to a new date). The date is a local date in the petition's
 * zone ('YYYY-MM-DD'). The public timeline gains the event; signers and the creator are mailed through the outbox
 * (once: a moved date is shown on the page but not mailed again). Audited.
 * @throws DomainError('invalid_parameter') for a bad date; DomainError('invalid_transition') for a petition not
 *   awaiting a debate, or a profile without the debate track
 */
export async function scheduleDebate(
  db: Kysely<Database>,
  ctx: TrackContext & { on: string },
): Promise<void> {
  const on = checkDebateDate(ctx.on);
  await runTrackAction(db, ctx, 'debate', 'petition.debate_scheduled', async (trx, p) => {
    const from = isDebateState(p.debate_state) ? p.debate_state : 'none';
    if (from !== 'scheduled') assertDebateTransition(from, 'scheduled');
    await setDebateState(trx, p.id, 'scheduled', on, ctx.now);
    await insertTrackEvent(trx, {
      petitionId: p.id,
      track: 'debate',
      stage: 'scheduled',
      occurredOn: on,
      bodyName: null,
      note: null,
      staffId: ctx.actor.staffId,
      at: ctx.now,
    });
    await enqueueTrackNotices(
      trx,
      p.id,
      'debate_scheduled',
      { stage: 'scheduled', on, note: null, bodyName: null },
      ctx.now,
    );
    return { before: { debate_state: from }, after: { debate_state: 'scheduled', debate_scheduled_on: on } };
  });
}
