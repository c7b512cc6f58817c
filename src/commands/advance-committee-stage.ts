import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  type CommitteeStage,
  checkCommitteeMove,
  isCommitteeStage,
  isCommitteeState,
} from '../domain/committee-track.js';
import { DomainError } from '../domain/errors.js';
import { enqueueTrackNotices } from '../notifications/outbox.js';
import { insertTrackEvent, setCommitteeState } from '../repositories/writes/tracks.js';
import { runTrackAction, type TrackContext } from './steps/track-action.js';

/**
 * National Assembly: staff record the committee track of a petition that reached the referral threshold (50,000
 * within its 30 days): referred to a committee (named), under review, decided (date and decision text), or ended
 * with the Assembly's term (committee-track.ts). Each step is a public timeline event, mailed to signers and the
 * creator once per stage, and audited.
 * @throws DomainError('invalid_parameter', `{ fields }`) for an unknown stage or missing details;
 *   DomainError('invalid_transition') for a move the track refuses, a referral below the threshold, or a profile
 *   without the committee track
 */
export async function advanceCommitteeStage(
  db: Kysely<Database>,
  ctx: TrackContext & { stage: string; committee?: string | null; on?: string | null; note?: string | null },
): Promise<void> {
  if (!isCommitteeStage(ctx.stage)) {
    throw new DomainError('invalid_parameter', 'Choose a stage of the committee track.', {
      fields: { stage: 'invalid' },
    });
  }
  const stage: CommitteeStage = ctx.stage;
  const blank = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);
  const input = { stage, committee: blank(ctx.committee), on: blank(ctx.on), note: blank(ctx.note) };
  await runTrackAction(db, ctx, 'committee', `petition.committee_${stage}`, async (trx, p) => {
    const from = isCommitteeState(p.committee_state) ? p.committee_state : 'none';
    checkCommitteeMove({ state: from, responseReached: p.response_threshold_reached_at !== null }, input);
    await setCommitteeState(trx, p.id, stage, ctx.now);
    await insertTrackEvent(trx, {
      petitionId: p.id,
      track: 'committee',
      stage,
      occurredOn: input.on,
      bodyName: input.committee,
      note: input.note,
      staffId: ctx.actor.staffId,
      at: ctx.now,
    });
    await enqueueTrackNotices(
      trx,
      p.id,
      'committee_stage',
      { stage, on: input.on, note: input.note, bodyName: input.committee },
      ctx.now,
    );
    return { before: { committee_state: from }, after: { committee_state: stage, ...input } };
  });
}
