import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { normalisePostcode, type PlaceTaxonomy, parsePlace } from '../../domain/places.js';
import { placeOfPostcode } from '../../repositories/postcodes.js';

/**
 * Where a signer lives, as the agreement stores it — the shared step of the signing commands: the place they chose
 * in the site's taxonomy (`parsePlace`), and on the UK site their constituency from the postcode they gave, through
 * the operator's postcode table. A postcode the table holds also fixes the country; one it does not hold (or no
 * import yet) leaves the constituency empty. The postcode itself is never stored.
 * @throws DomainError('invalid_region') for a place outside the taxonomy; DomainError('invalid_postcode') for a
 *   postcode that is not shaped like a UK postcode
 */
export async function signerPlace(
  db: Kysely<Database>,
  input: {
    places?: PlaceTaxonomy | undefined;
    region?: string | null | undefined;
    postcode?: string | null | undefined;
  },
): Promise<{ region: string | null; constituency: string | null }> {
  const taxonomy = input.places ?? 'kr_sido';
  const region = parsePlace(taxonomy, input.region);
  if (taxonomy !== 'uk' || region === 'overseas') return { region, constituency: null };
  const postcode = normalisePostcode(input.postcode);
  if (postcode === null) return { region, constituency: null };
  const found = await placeOfPostcode(db, postcode);
  return found ? { region: found.country, constituency: found.constituency } : { region, constituency: null };
}
