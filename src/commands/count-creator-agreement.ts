import { canonicalEmail, personId, signerKey } from '../domain/identity.js';
import { getProfile } from '../domain/policy-profiles.js';
import { receiptSecret } from '../domain/receipts.js';
import { receiptCommitment } from '../domain/tlog/entries.js';
import type { SigningDeps } from './agree-by-email.js';

/**
 * Counts the creator's own agreement when the petition starts collecting, on profiles whose rules say so
 * (`rules.creatorCounted`: the UK counts the creator's signature as the first; the Blue House board did not).
 *
 * The creator's identity is already checked — their emailed link was confirmed, or they are signed in — so the
 * agreement is counted at once, through the agreement writer like any other (one statement, the count guard, the
 * log slot: the agreement gets its leaf like any other). Its signer key is the one the same person would get by agreeing later (by email: the creator's
 * address; signed in: the session's person), so the creator is never counted twice.
 * @param input.person `{ email }` after an emailed confirmation, `{ personId }` for a signed-in creator
 * @returns 'counted' | 'already_agreed', or 'not_counted' when the profile does not count creators
 */
export async function countCreatorAgreement(
  deps: Pick<SigningDeps, 'writer' | 'secret'>,
  input: {
    petitionId: string;
    profile: string;
    person: { email: string } | { personId: string };
    locale: 'ko' | 'en';
  },
): Promise<'counted' | 'already_agreed' | 'not_counted'> {
  if (!getProfile(input.profile).rules.creatorCounted) return 'not_counted';
  const signedIn = 'personId' in input.person;
  const person =
    'personId' in input.person
      ? input.person.personId
      : personId(deps.secret, { kind: 'email', email: canonicalEmail(input.person.email) });
  const outcome = await deps.writer.agree({
    petitionId: input.petitionId,
    // the creator holds the private link: the petition takes it while it collects supporters
    sponsor: true,
    signerKey: signerKey(deps.secret, input.petitionId, person),
    method: signedIn ? 'oidc' : 'creator',
    region: null,
    locale: input.locale,
    // the creator hears of the petition as its creator (petition_creators), not as a signer
    notify: false,
    // its log leaf commits to a secret nobody is shown: the creator's own receipt is not offered (yet)
    receiptCommitment: receiptCommitment(receiptSecret(undefined)),
  });
  return outcome.status === 'already_agreed' ? 'already_agreed' : 'counted';
}
