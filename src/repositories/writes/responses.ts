import type { Selectable, Transaction } from 'kysely';
import type { Database, OfficialResponsesTable } from '../../db/schema.js';
import type { ParsedContent, ResponseActor } from '../../domain/official-response.js';
import type { ResponseState } from '../../domain/petition-states.js';

/**
 * Writes of official responses (답변) written on this platform: the answer, its revisions (every saved version,
 * with its time and author), the petitions it covers and their response track. Each takes the use case's
 * transaction (src/commands/*-response.ts, link-petitions.ts).
 */

/** A petition as answering needs it, locked. */
export interface LockedPetition {
  id: string;
  state: string;
  response_state: ResponseState;
}

/**
 * Locks the petitions of `ids` (`FOR UPDATE`, in id order so that two answers never deadlock) and returns those
 * that exist (unknown ids are simply absent; the caller refuses them).
 */
export function lockPetitionsForAnswer(
  trx: Transaction<Database>,
  ids: readonly string[],
): Promise<LockedPetition[]> {
  return trx
    .selectFrom('petitions')
    .select(['id', 'state', 'response_state'])
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Locks one answer (`FOR UPDATE`) and returns it as stored, or undefined when there is none. */
export function lockResponse(
  trx: Transaction<Database>,
  responseId: string,
): Promise<Selectable<OfficialResponsesTable> | undefined> {
  return trx
    .selectFrom('official_responses')
    .selectAll()
    .where('id', '=', responseId)
    .forUpdate()
    .executeTakeFirst();
}

/** The ids of the petitions an answer covers (any order), read in the use case's transaction. */
export async function coveredPetitionIds(trx: Transaction<Database>, responseId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('petition_official_responses')
    .select('petition_id')
    .where('official_response_id', '=', responseId)
    .execute();
  return rows.map((p) => p.petition_id);
}

/** The stored columns of an answer's content (the body is Markdown for answers written here). */
const columns = (c: ParsedContent) => ({
  title: c.title,
  summary: c.summary,
  body: c.body,
  body_format: 'markdown' as const,
  responder_name: c.responderName,
  responder_title: c.responderTitle,
  video_url: c.videoUrl,
  video_caption_url: c.videoCaptionUrl,
});

/**
 * Stores a new answer, a draft or published at `now` (`published_at`).
 * @returns its id
 */
export async function insertResponse(
  trx: Transaction<Database>,
  content: ParsedContent,
  state: 'draft' | 'published',
  now: Date,
): Promise<string> {
  const row = await trx
    .insertInto('official_responses')
    .values({
      ...columns(content),
      state,
      published_at: state === 'published' ? now : null,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Publishes a stored draft as it stands: state `published`, `published_at` = `now`. */
export async function setResponsePublished(
  trx: Transaction<Database>,
  responseId: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('official_responses')
    .set({ state: 'published', published_at: now, updated_at: now })
    .where('id', '=', responseId)
    .execute();
}

/**
 * Replaces an answer's content; a published answer also gets `revised_at` = `now` (shown as "revised on …").
 */
export async function updateResponseContent(
  trx: Transaction<Database>,
  responseId: string,
  content: ParsedContent,
  revised: boolean,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('official_responses')
    .set({ ...columns(content), updated_at: now, ...(revised ? { revised_at: now } : {}) })
    .where('id', '=', responseId)
    .execute();
}

/**
 * Appends the next revision (number = highest so far + 1) of an answer: the version saved, its phase and author.
 * The answer must be locked by the caller so that two saves never take the same number.
 * @returns the new revision number (1 for the first)
 */
export async function appendRevision(
  trx: Transaction<Database>,
  responseId: string,
  phase: 'draft' | 'published' | 'revised',
  c: ParsedContent,
  actor: ResponseActor,
  now: Date,
): Promise<number> {
  const last = await trx
    .selectFrom('official_response_revisions')
    .select((eb) => eb.fn.max('revision').as('n'))
    .where('official_response_id', '=', responseId)
    .executeTakeFirst();
  const revision = Number(last?.n ?? 0) + 1;
  await trx
    .insertInto('official_response_revisions')
    .values({
      official_response_id: responseId,
      revision,
      phase,
      ...columns(c),
      actor_label: actor.label.trim(),
      actor_staff_id: actor.staffId ?? null,
      created_at: now,
    })
    .execute();
  return revision;
}

/** Links petitions to an answer; links that exist already are kept as they are. */
export async function linkResponsePetitions(
  trx: Transaction<Database>,
  responseId: string,
  petitionIds: readonly string[],
): Promise<void> {
  if (petitionIds.length === 0) return;
  await trx
    .insertInto('petition_official_responses')
    .values(petitionIds.map((id) => ({ petition_id: id, official_response_id: responseId })))
    .onConflict((oc) => oc.columns(['petition_id', 'official_response_id']).doNothing())
    .execute();
}

/** Moves a petition's response track to `answered`, `answered_at` = `now` (the caller checked the move). */
export async function markPetitionAnswered(
  trx: Transaction<Database>,
  petitionId: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('petitions')
    .set({ response_state: 'answered', answered_at: now, updated_at: now })
    .where('id', '=', petitionId)
    .execute();
}
