import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { deleteOwnCheckout } from '../repositories/writes/moderation.js';

/** Gives a check-out back (only one's own; anything else changes nothing). One statement: no transaction needed. */
export async function releaseCheckout(
  db: Kysely<Database>,
  options: { petitionId: string; staffId: string },
): Promise<void> {
  await deleteOwnCheckout(db, options);
}
