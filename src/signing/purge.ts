import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { deleteExpiredUnconfirmedAgreements } from '../repositories/writes/agreements.js';

/**
 * Deletes agreements whose emailed link expired unconfirmed, with their contact data (data minimisation: a name
 * and an address are kept only as long as confirmation needs them). Such agreements were never counted, so counts
 * do not move; the person may simply agree again. A link is purged `marginMs` after it expired, so a confirmation
 * racing the expiry is never cut short; a link reissued meanwhile has a later expiry and is kept (the delete
 * re-checks the row it locks).
 *
 * Safe to run from several app servers at once. Deletes in chunks of `chunk` rows (short transactions).
 * @param now the current instant (UTC)
 * @returns how many agreements were deleted
 */
export async function purgeExpiredAgreements(
  db: Kysely<Database>,
  {
    now = new Date(),
    marginMs = 3600_000,
    chunk = 5000,
  }: { now?: Date; marginMs?: number; chunk?: number } = {},
): Promise<number> {
  const before = new Date(now.getTime() - marginMs);
  let total = 0;
  for (;;) {
    const n = await deleteExpiredUnconfirmedAgreements(db, before, chunk);
    total += n;
    if (n < chunk) return total;
  }
}
