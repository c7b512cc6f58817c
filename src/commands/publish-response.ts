import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  checkAnsweredPetitionIds,
  checkResponseActor,
  parseResponseContent,
  type ResponseActor,
  type ResponseContent,
} from '../domain/official-response.js';
import { insertNewResponse } from './steps/official-response.js';

/**
 * Publishes a new answer covering `petitionIds` (one or several; a petition owed an answer — awaiting or overdue —
 * or not yet owed one), in ONE transaction: the petitions are locked, the answer and its first revision stored,
 * each petition's response track moved to `answered`, the signers' fan-out and the creator's mail queued per
 * petition, and the audit entry `response.publish` appended (see official-response-steps.ts).
 * @param now UTC instant: the publication date shown, `answered_at` of petitions answered now
 * @returns `{ responseId, petitionIds }`
 * @throws DomainError('invalid_parameter') for bad content, ids or actor; DomainError('petition_not_found');
 *   DomainError('invalid_transition') for a petition that is not public
 */
export async function publishResponse(
  db: Kysely<Database>,
  input: { petitionIds: readonly string[]; content: ResponseContent },
  actor: ResponseActor,
  now: Date,
): Promise<{ responseId: string; petitionIds: string[] }> {
  const content = parseResponseContent(input.content);
  const ids = checkAnsweredPetitionIds(input.petitionIds);
  checkResponseActor(actor);
  const responseId = await db
    .transaction()
    .execute((trx) => insertNewResponse(trx, ids, content, actor, now, 'published'));
  return { responseId, petitionIds: ids };
}
