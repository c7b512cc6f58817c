import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import {
  checkResponseActor,
  parseResponseContent,
  type ResponseActor,
  type ResponseContent,
} from '../domain/official-response.js';
import { storedContent } from '../repositories/responses.js';
import { appendRevision, updateResponseContent } from '../repositories/writes/responses.js';
import { auditResponse, lockExistingResponse } from './steps/official-response.js';

/**
 * Changes an answer, in one transaction that locks it. A draft is simply saved again; a published answer is
 * revised: the new version is shown with "revised on <date>", and every earlier version stays in the history.
 * Nobody is notified of a revision. The audit entry `response.revise` records the state, title and body length
 * before and after.
 * @param changes the fields to change (others keep their current value); the result is validated as a whole
 * @returns the new revision number
 * @throws DomainError('response_not_found' | 'invalid_parameter'); archive answers (imported) cannot be revised
 *   (DomainError('invalid_transition'))
 */
export async function reviseResponse(
  db: Kysely<Database>,
  responseId: string,
  changes: Partial<ResponseContent>,
  actor: ResponseActor,
  now: Date,
): Promise<number> {
  checkResponseActor(actor);
  return db.transaction().execute(async (trx) => {
    const r = await lockExistingResponse(trx, responseId);
    if (r.archive_source !== null) {
      throw new DomainError('invalid_transition', '보관 자료에서 가져온 답변은 고칠 수 없습니다.');
    }
    const current = storedContent(r);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const content = parseResponseContent({ ...current, ...defined });
    const published = r.state === 'published';
    await updateResponseContent(trx, responseId, content, published, now);
    const revision = await appendRevision(
      trx,
      responseId,
      published ? 'revised' : 'draft',
      content,
      actor,
      now,
    );
    await auditResponse(trx, 'response.revise', responseId, actor, now, {
      before: { state: r.state, title: r.title, bodyChars: r.body.length },
      after: { state: r.state, title: content.title, bodyChars: content.body.length, revision },
    });
    return revision;
  });
}
