import type { Executor } from '../petitions.js';

/** Stores (or replaces) postcode rows of the ONS lookup; one statement per call. */
export async function upsertPostcodes(
  db: Executor,
  rows: ReadonlyArray<{ postcode: string; constituency: string; country: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('postcodes')
    .values([...rows])
    .onConflict((oc) =>
      oc.column('postcode').doUpdateSet((eb) => ({
        constituency: eb.ref('excluded.constituency'),
        country: eb.ref('excluded.country'),
      })),
    )
    .execute();
}

/** Stores (or renames) constituencies; one statement per call. */
export async function upsertConstituencies(
  db: Executor,
  rows: ReadonlyArray<{ code: string; name: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('constituencies')
    .values([...rows])
    .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
    .execute();
}
