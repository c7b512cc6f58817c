import { signerKey } from '../domain/identity.js';
import type { PlaceTaxonomy } from '../domain/places.js';
import type { AgreeOutcome } from '../signing/agreement-batch.js';
import { comesThroughSponsorLink } from '../signing/sponsor-link.js';
import type { SigningDeps } from './agree-by-email.js';
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
}

/**
 * One-click path for a signed-in person (verified identity from OpenID Connect): stored and counted at once, in
 * the agreement writer's batch transaction.
 * @throws DomainError('invalid_region' | 'petition_not_found' | 'petition_not_open' | 'invalid_token')
 */
export async function agreeSignedIn(
  deps: Pick<SigningDeps, 'db' | 'writer' | 'secret'>,
  input: SignedInAgreementInput,
): Promise<AgreeOutcome> {
  const sponsor = await comesThroughSponsorLink(deps.db, input.petitionId, input.sponsorToken);
  return deps.writer.agree({
    petitionId: input.petitionId,
    sponsor,
    signerKey: signerKey(deps.secret, input.petitionId, input.personId),
    method: 'oidc',
    ...(await signerPlace(deps.db, input)),
    locale: input.locale ?? 'ko',
    notify: input.notify ?? false,
  });
}
