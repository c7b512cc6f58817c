import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CommitteeState } from '../../domain/committee-track.js';
import type { DebateState } from '../../domain/response-track.js';

/** Appends one public timeline event of a parliamentary track. */
export async function insertTrackEvent(
  trx: Transaction<Database>,
  e: {
    petitionId: string;
    track: 'debate' | 'committee';
    stage: string;
    occurredOn: string | null;
    bodyName: string | null;
    note: string | null;
    staffId: string | null;
    at: Date;
  },
): Promise<void> {
  await trx
    .insertInto('petition_track_events')
    .values({
      petition_id: e.petitionId,
      track: e.track,
      stage: e.stage,
      occurred_on: e.occurredOn,
      body_name: e.bodyName,
      note: e.note,
      staff_id: e.staffId,
      at: e.at,
    })
    .execute();
}

/** Moves the debate track of a (locked) petition; `scheduledOn` is the debate's local date or null. */
export async function setDebateState(
  trx: Transaction<Database>,
  petitionId: string,
  state: DebateState,
  scheduledOn: string | null,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('petitions')
    .set({
      debate_state: state,
      debate_scheduled_on: scheduledOn,
      ...(state === 'debated' || state === 'not_debated' ? { debate_decided_at: now } : {}),
      updated_at: now,
    })
    .where('id', '=', petitionId)
    .execute();
}

/** Stores what a debate produced (or that it did not happen); one row per petition. */
export async function saveDebateOutcome(
  trx: Transaction<Database>,
  petitionId: string,
  o: {
    debated: boolean;
    debatedOn: string | null;
    overview: string | null;
    transcriptUrl: string | null;
    videoUrl: string | null;
    researchUrl: string | null;
  },
  now: Date,
): Promise<void> {
  const row = {
    debated: o.debated,
    debated_on: o.debatedOn,
    overview: o.overview,
    transcript_url: o.transcriptUrl,
    video_url: o.videoUrl,
    research_url: o.researchUrl,
    recorded_at: now,
  };
  await trx
    .insertInto('debate_outcomes')
    .values({ petition_id: petitionId, ...row })
    .onConflict((oc) => oc.column('petition_id').doUpdateSet(row))
    .execute();
}

/** Moves the committee track of a (locked) petition. */
export async function setCommitteeState(
  trx: Transaction<Database>,
  petitionId: string,
  state: CommitteeState,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('petitions')
    .set({ committee_state: state, updated_at: now })
    .where('id', '=', petitionId)
    .execute();
}
