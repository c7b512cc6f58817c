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
 * Saves a new draft answer (not public, nobody notified, no audit entry: drafts are kept in the revision history
 * only) covering `petitionIds`, in one transaction that locks the petitions.
 * @param now UTC instant recorded on the revision
 * @returns the new response's id
 * @throws DomainError('invalid_parameter' | 'petition_not_found' | 'invalid_transition')
 */
export async function draftResponse(
  db: Kysely<Database>,
  input: { petitionIds: readonly string[]; content: ResponseContent },
  actor: ResponseActor,
  now: Date,
): Promise<string> {
  const content = parseResponseContent(input.content);
  const ids = checkAnsweredPetitionIds(input.petitionIds);
  checkResponseActor(actor);
  return db.transaction().execute((trx) => insertNewResponse(trx, ids, content, actor, now, 'draft'));
}
