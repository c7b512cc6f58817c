import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { hashToken, isTokenShaped } from '../domain/tokens.js';
import { isSponsorTokenOf } from '../repositories/signing.js';

/**
 * Whether a request comes through the petition's private pre-agreement link (사전동의): no token (absent or empty)
 * is an ordinary agreement; a token must be this petition's.
 * @returns true for the petition's link, false without a token
 * @throws DomainError('invalid_token') when a token is given and is malformed or not this petition's
 */
export async function comesThroughSponsorLink(
  db: Kysely<Database>,
  petitionId: string,
  token: string | undefined,
): Promise<boolean> {
  if (token === undefined || token === '') return false;
  if (!isTokenShaped(token) || !(await isSponsorTokenOf(db, petitionId, hashToken(token))))
    throw new DomainError('invalid_token', '사전동의 링크가 올바르지 않습니다.');
  return true;
}
