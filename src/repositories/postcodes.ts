import type { Executor } from './petitions.js';

/**
 * The constituency and country of a postcode in the operator's import of the ONS postcode lookup, or undefined when
 * the table does not hold it (a new postcode, or no import yet: the signer is then counted without a constituency).
 * @param postcode normalised (domain/places.ts `normalisePostcode`: upper case, no spaces)
 */
export async function placeOfPostcode(
  db: Executor,
  postcode: string,
): Promise<{ constituency: string; country: string } | undefined> {
  return db
    .selectFrom('postcodes')
    .select(['constituency', 'country'])
    .where('postcode', '=', postcode)
    .executeTakeFirst();
}

/** Live signatures per constituency of a petition (its own signers, confirmed), with the names imported. */
export async function agreementsByConstituency(
  db: Executor,
  petitionId: string,
): Promise<Array<{ code: string; name: string | null; count: number }>> {
  const rows = await db
    .selectFrom('agreements as a')
    .leftJoin('constituencies as c', 'c.code', 'a.constituency')
    .select(['a.constituency as code', 'c.name'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('a.petition_id', '=', petitionId)
    .where('a.confirmed_at', 'is not', null)
    .where('a.constituency', 'is not', null)
    .groupBy(['a.constituency', 'c.name'])
    .orderBy('n', 'desc')
    .orderBy('a.constituency')
    .execute();
  return rows.map((r) => ({ code: r.code as string, name: r.name, count: Number(r.n) }));
}
