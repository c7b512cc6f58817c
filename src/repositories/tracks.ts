import { sql } from 'kysely';
import type { Executor } from './petitions.js';

/** One public step of a petition's parliamentary track, oldest first. Dates are 'YYYY-MM-DD' local dates. */
export interface TrackEvent {
  track: 'debate' | 'committee';
  stage: string;
  occurredOn: string | null;
  bodyName: string | null;
  note: string | null;
  at: Date;
}

/**
 * A `date` column as 'YYYY-MM-DD' text, formatted by the database: the drivers would otherwise turn it into a
 * JavaScript Date at some zone's midnight (the raw "Tue Dec 08 2026 00:00:00 GMT…" the issue saw on pages).
 */
const asText = (column: string) => sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

/** The public timeline of a petition's parliamentary tracks (UK debate, Assembly committee), oldest first. */
export async function trackEvents(db: Executor, petitionId: string): Promise<TrackEvent[]> {
  const rows = await db
    .selectFrom('petition_track_events')
    .select(['track', 'stage', 'body_name', 'note', 'at', asText('occurred_on').as('occurred_on')])
    .where('petition_id', '=', petitionId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    track: r.track,
    stage: r.stage,
    occurredOn: r.occurred_on,
    bodyName: r.body_name,
    note: r.note,
    at: r.at,
  }));
}

/** What a UK debate produced (or that it did not happen), or undefined before an outcome is recorded. */
export interface DebateOutcome {
  debated: boolean;
  debatedOn: string | null;
  overview: string | null;
  transcriptUrl: string | null;
  videoUrl: string | null;
  researchUrl: string | null;
}

export async function debateOutcome(db: Executor, petitionId: string): Promise<DebateOutcome | undefined> {
  const r = await db
    .selectFrom('debate_outcomes')
    .select(['debated', 'overview', 'transcript_url', 'video_url', 'research_url'])
    .select(asText('debated_on').as('debated_on'))
    .where('petition_id', '=', petitionId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    debated: r.debated,
    debatedOn: r.debated_on,
    overview: r.overview,
    transcriptUrl: r.transcript_url,
    videoUrl: r.video_url,
    researchUrl: r.research_url,
  };
}

/** A petition's scheduled debate date as 'YYYY-MM-DD', or null. */
export async function scheduledDebateOn(db: Executor, petitionId: string): Promise<string | null> {
  const r = await db
    .selectFrom('petitions')
    .select(asText('debate_scheduled_on').as('on'))
    .where('id', '=', petitionId)
    .executeTakeFirst();
  return r?.on ?? null;
}
