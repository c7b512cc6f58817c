import type { Selectable, Transaction } from 'kysely';
import type { Database, OfficialResponsesTable } from '../../db/schema.js';
import { DomainError } from '../../domain/errors.js';
import {
  answerMovesResponseTrack,
  assertAnswerable,
  type ParsedContent,
  type ResponseActor,
} from '../../domain/official-response.js';
import { assertResponseTransition } from '../../domain/petition-states.js';
import { isRecordNumber } from '../../domain/record-numbers.js';
import { enqueueCreatorNotification, enqueueSignerFanout } from '../../notifications/outbox.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import {
  appendRevision,
  insertResponse,
  type LockedPetition,
  linkResponsePetitions,
  lockPetitionsForAnswer,
  lockResponse,
  markPetitionAnswered,
} from '../../repositories/writes/responses.js';

/**
 * Steps the official-response use cases share (draft-response, publish-response, publish-draft, revise-response,
 * link-petitions), each run in the CALLER's transaction — not use cases of their own.
 *
 * Publishing, in the use case's one transaction: the answer becomes public, each covered petition's response track
 * moves to `answered` (from `none` too: an answer may come before the threshold or before close, and the petition
 * keeps collecting agreements; from `awaiting` and `overdue`, `isResponseDue`), and the outbox gets, per covered
 * petition, the fan-out to its opted-in signers and the creator's mail — each at most once per petition, whatever
 * later answers or revisions follow. Revisions notify nobody; they are shown on the page ("revised on …").
 */

/**
 * Locks the petitions (id order) and checks they can carry an answer (public: open or closed).
 * @throws DomainError('petition_not_found') for an unknown id; DomainError('invalid_transition') for a petition
 *   that is not public
 */
export async function lockAnswerablePetitions(
  trx: Transaction<Database>,
  ids: string[],
): Promise<LockedPetition[]> {
  const rows = await lockPetitionsForAnswer(trx, ids);
  assertAnswerable(ids, rows);
  return rows;
}

/**
 * Locks an answer for a change.
 * @throws DomainError('response_not_found') for an id that is not a record number or names no answer
 */
export async function lockExistingResponse(
  trx: Transaction<Database>,
  responseId: string,
): Promise<Selectable<OfficialResponsesTable>> {
  const row = isRecordNumber(responseId) ? await lockResponse(trx, responseId) : undefined;
  if (!row) throw new DomainError('response_not_found', `${responseId}번 답변을 찾을 수 없습니다.`);
  return row;
}

/**
 * Links petitions to an answer; when it is published, marks them answered (when `answerMovesResponseTrack`) and
 * queues, per petition, the signers' fan-out (`signers.answered`) and the creator's mail (`creator.answered`) —
 * each once per petition ever (the outbox's dedupe keys).
 */
export async function coverPetitions(
  trx: Transaction<Database>,
  responseId: string,
  published: boolean,
  petitions: LockedPetition[],
  now: Date,
): Promise<void> {
  if (petitions.length === 0) return;
  await linkResponsePetitions(
    trx,
    responseId,
    petitions.map((p) => p.id),
  );
  if (!published) return;
  for (const p of petitions) {
    if (answerMovesResponseTrack(p.response_state)) {
      assertResponseTransition(p.response_state, 'answered');
      await markPetitionAnswered(trx, p.id, now);
    }
    await enqueueSignerFanout(trx, p.id, 'signers.answered', { responseId }, now);
    await enqueueCreatorNotification(trx, p.id, 'creator.answered', { responseId }, now);
  }
}

/**
 * Records a staff action on an answer in the audit log, in the caller's transaction (publish and revise; drafts
 * are not public and are kept in the revision history only).
 */
export function auditResponse(
  trx: Transaction<Database>,
  action: 'response.publish' | 'response.revise',
  responseId: string,
  actor: ResponseActor,
  now: Date,
  change: { before?: unknown; after: unknown },
): Promise<void> {
  return appendAudit(trx, {
    at: now,
    staffId: actor.staffId ?? null,
    actor: actor.label.trim(),
    action,
    subjectType: 'response',
    subjectId: responseId,
    ...change,
  });
}

/**
 * A new answer as a draft or published at once: the answer, its first revision, the petitions it covers (locked
 * and checked; when published: answered, mail queued) and, when published, the audit entry `response.publish`.
 * @param ids the checked petition ids (`checkAnsweredPetitionIds`)
 * @returns the new answer's id
 */
export async function insertNewResponse(
  trx: Transaction<Database>,
  ids: string[],
  content: ParsedContent,
  actor: ResponseActor,
  now: Date,
  state: 'draft' | 'published',
): Promise<string> {
  const published = state === 'published';
  const petitions = await lockAnswerablePetitions(trx, ids);
  const responseId = await insertResponse(trx, content, state, now);
  const revision = await appendRevision(trx, responseId, state, content, actor, now);
  await coverPetitions(trx, responseId, published, petitions, now);
  if (published) {
    await auditResponse(trx, 'response.publish', responseId, actor, now, {
      after: { petitionIds: ids, title: content.title, revision },
    });
  }
  return responseId;
}
