import { signerKey } from '../domain/identity.js';
import type { PlaceTaxonomy } from '../domain/places.js';
import { receiptSecret } from '../domain/receipts.js';
import { receiptCommitment } from '../domain/tlog/entries.js';
import type { SigningAnswer } from '../signing/agreement-batch.js';
import { comesThroughSponsorLink } from '../signing/sponsor-link.js';
import type { SigningDeps } from './agree-by-email.js';
import { screenAgreement } from './steps/fraud-screen.js';
import { signerPlace } from './steps/signer-place.js';

export interface SignedInAgreementInput {
  petitionId: string;
  /** The pseudonymous id from the session (`personId` of src/domain/identity.ts). */
  personId: string;
  region?: string | null;
  /** The site's place taxonomy (its profile's `places`); default the Korean 시·도. */
  places?: PlaceTaxonomy;
  /** UK: the signer's postcode, looked up in the postcode table for their constituency (never stored). */
  postcode?: string | null;
  notify?: boolean;
  locale?: 'ko' | 'en';
  /** The token of the creator's private pre-agreement link, when the person came through it. */
  sponsorToken?: string | undefined;
  /** The receipt secret the signer's browser made (32 hex characters); absent: the server makes one. */
  receiptSecret?: string | undefined;
  /** The client's address (src/http/middleware/client-address.ts): only its network prefix is kept. */
  clientAddress?: string | undefined;
  /** The identity provider's id (the one the session came from), when known. */
  provider?: string | undefined;
}

/**
 * One-click path for a signed-in person (verified identity from OpenID Connect): stored and counted at once, in
 * the agreement writer's batch transaction.
 * @throws DomainError('invalid_region' | 'petition_not_found' | 'petition_not_open' | 'invalid_token');
 *   DomainError('invalid_parameter') for a malformed receipt secret
 */
export async function agreeSignedIn(
  deps: Pick<SigningDeps, 'db' | 'writer' | 'secret' | 'lists'>,
  input: SignedInAgreementInput,
): Promise<SigningAnswer> {
  const secret = receiptSecret(input.receiptSecret);
  const signals = await screenAgreement(deps.lists, { clientAddress: input.clientAddress });
  const sponsor = await comesThroughSponsorLink(deps.db, input.petitionId, input.sponsorToken);
  const outcome = await deps.writer.agree({
    petitionId: input.petitionId,
    sponsor,
    signerKey: signerKey(deps.secret, input.petitionId, input.personId),
    method: 'oidc',
    ...signals,
    provider: input.provider ?? null,
    ...(await signerPlace(deps.db, input)),
    locale: input.locale ?? 'ko',
    notify: input.notify ?? false,
    receiptCommitment: receiptCommitment(secret),
  });
  return outcome.status === 'agreed' ? { ...outcome, receiptSecret: secret.toString('hex') } : outcome;
}
