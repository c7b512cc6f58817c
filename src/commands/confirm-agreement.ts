import { DomainError } from '../domain/errors.js';
import { hashToken, isTokenShaped } from '../domain/tokens.js';
import type { ConfirmOutcome } from '../signing/agreement-batch.js';
import type { SigningDeps } from './agree-by-email.js';

/**
 * Confirms an emailed link (on POST only: opening the link shows a page with a button, so mail scanners that
 * prefetch links confirm nothing); the agreement counts from the writer's batch that commits it.
 * @throws DomainError('invalid_token') for a malformed or unknown token; DomainError('token_expired');
 *   DomainError('petition_not_open')
 */
export async function confirmAgreement(
  deps: Pick<SigningDeps, 'writer'>,
  token: string,
): Promise<ConfirmOutcome> {
  if (!isTokenShaped(token)) throw new DomainError('invalid_token', '확인 링크가 올바르지 않습니다.');
  return deps.writer.confirm(hashToken(token));
}
