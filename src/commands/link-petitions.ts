import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  checkAnsweredPetitionIds,
  checkResponseActor,
  type ResponseActor,
} from '../domain/official-response.js';
import { coverPetitions, lockAnswerablePetitions, lockExistingResponse } from './steps/official-response.js';

/**
 * Adds petitions to an answer (a joint answer covering one more petition), in one transaction that locks the answer
 * and the petitions. For a published answer the added petitions become answered and their signers and creator are
 * notified, each once.
 * @throws DomainError('response_not_found' | 'petition_not_found' | 'invalid_transition' | 'invalid_parameter')
 */
export async function linkPetitions(
  db: Kysely<Database>,
  responseId: string,
  petitionIds: readonly string[],
  actor: ResponseActor,
  now: Date,
): Promise<void> {
  const ids = checkAnsweredPetitionIds(petitionIds);
  checkResponseActor(actor);
  await db.transaction().execute(async (trx) => {
    const r = await lockExistingResponse(trx, responseId);
    const petitions = await lockAnswerablePetitions(trx, ids);
    await coverPetitions(trx, responseId, r.state === 'published', petitions, now);
  });
}
