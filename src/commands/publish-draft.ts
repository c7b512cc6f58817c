import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { checkResponseActor, parseResponseContent, type ResponseActor } from '../domain/official-response.js';
import { storedContent } from '../repositories/responses.js';
import {
  appendRevision,
  coveredPetitionIds,
  setResponsePublished,
} from '../repositories/writes/responses.js';
import {
  auditResponse,
  coverPetitions,
  lockAnswerablePetitions,
  lockExistingResponse,
} from './steps/official-response.js';

/**
 * Publishes a draft as it stands, for every petition it covers, in one transaction: the answer and its petitions
 * are locked, the answer becomes public with a `published` revision, the petitions are answered and their mail
 * queued, and the audit entry `response.publish` is appended.
 * @param now UTC instant: the publication date shown, `answered_at` of petitions answered now
 * @returns `{ responseId, petitionIds }` (ids in order)
 * @throws DomainError('response_not_found'); DomainError('invalid_transition') when it is already published or a
 *   covered petition is not public; DomainError('invalid_parameter') for a bad actor
 */
export async function publishDraft(
  db: Kysely<Database>,
  responseId: string,
  actor: ResponseActor,
  now: Date,
): Promise<{ responseId: string; petitionIds: string[] }> {
  checkResponseActor(actor);
  return db.transaction().execute(async (trx) => {
    const r = await lockExistingResponse(trx, responseId);
    if (r.state !== 'draft') {
      throw new DomainError(
        'invalid_transition',
        `${responseId}번 답변은 이미 게시되었습니다. 수정(revise)하십시오.`,
      );
    }
    const ids = await coveredPetitionIds(trx, responseId);
    const petitions = await lockAnswerablePetitions(trx, ids);
    const content = parseResponseContent(storedContent(r));
    await setResponsePublished(trx, responseId, now);
    const revision = await appendRevision(trx, responseId, 'published', content, actor, now);
    await coverPetitions(trx, responseId, true, petitions, now);
    await auditResponse(trx, 'response.publish', responseId, actor, now, {
      before: { state: 'draft' },
      after: { petitionIds: [...ids].sort(), title: content.title, revision },
    });
    return { responseId, petitionIds: ids.sort() };
  });
}
