import { DomainError } from '../domain/errors.js';
import { assertTransition } from '../domain/petition-states.js';
import { hashToken, isTokenShaped } from '../domain/tokens.js';
import { findPetitionWithCreator } from '../repositories/petition-creation.js';
import { confirmCreation, lockCreationByTokenHash } from '../repositories/writes/petition-creation.js';
import { sendSponsorLink } from './send-sponsor-link.js';
import type { PetitionCreationDeps } from './submit-petition.js';

/**
 * - `confirmed`: the petition now collects pre-agreements; `sponsorToken` is the private link's token (shown once,
 *   and mailed: `mailed` false when the mail could not be sent);
 * - `already_confirmed`: the link was used before; the private link went out then (it is stored only hashed).
 */
export type ConfirmPetitionOutcome =
  | { status: 'confirmed'; petitionId: string; sponsorToken: string; mailed: boolean }
  | { status: 'already_confirmed'; petitionId: string };

/**
 * Confirms a creator's emailed link (on POST only: the GET shows a button, so mail scanners that prefetch links
 * change nothing): `draft → collecting_pre_agreements`, then issues and mails the private pre-agreement link.
 * A second confirmation changes nothing and says so.
 * @param now the current instant (UTC); the link is valid while now < token_expires_at
 * @throws DomainError('invalid_token') for a malformed or unknown token (also once the draft was purged);
 *   DomainError('token_expired') for an expired, unconfirmed link; DomainError('invalid_transition') when the
 *   petition left `draft` another way (removed)
 */
export async function confirmPetitionCreation(
  deps: PetitionCreationDeps,
  token: string,
  now: Date,
): Promise<ConfirmPetitionOutcome> {
  if (!isTokenShaped(token)) throw new DomainError('invalid_token', '확인 링크가 올바르지 않습니다.');
  const result = await deps.db.transaction().execute(async (trx) => {
    const row = await lockCreationByTokenHash(trx, hashToken(token));
    if (!row) throw new DomainError('invalid_token', '확인 링크가 올바르지 않습니다.');
    if (row.confirmed_at !== null)
      return { first: false, id: row.id, needsToken: row.sponsor_token_hash === null };
    if (row.token_expires_at === null || row.token_expires_at.getTime() <= now.getTime())
      throw new DomainError(
        'token_expired',
        '확인 링크가 만료되었습니다. 청원을 처음부터 다시 작성해 주십시오.',
      );
    assertTransition(row.state, 'collecting_pre_agreements');
    await confirmCreation(trx, row.id, 'collecting_pre_agreements', now);
    return { first: true, id: row.id, needsToken: true };
  });
  // a confirmation whose link was issued but not yet stored (a crash between the two) gets it on the next press
  if (!result.first && !result.needsToken) return { status: 'already_confirmed', petitionId: result.id };
  const petition = await findPetitionWithCreator(deps.db, result.id);
  if (result.first) await deps.countCreator?.(result.id, { email: petition.email, locale: petition.locale });
  const sponsorToken = await deps.issueSponsorToken(result.id);
  let mailed = true;
  try {
    await sendSponsorLink(deps, {
      petitionId: result.id,
      profile: petition.profile,
      title: petition.title,
      name: petition.name,
      email: petition.email,
      locale: petition.locale,
      sponsorToken,
    });
  } catch {
    mailed = false; // the page shows the link; the creator is told to keep it
  }
  return { status: 'confirmed', petitionId: result.id, sponsorToken, mailed };
}
