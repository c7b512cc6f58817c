import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { extendRetention } from '../../domain/desk/retention.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { deactivateCaseHashes, lockCase, markCaseWithdrawn } from '../../repositories/writes/desk.js';

/**
 * A victim withdraws their case (at any time, with the case number and PIN: `checkCasePin` first). Every hash of
 * the case becomes inactive with a new change sequence — platforms that match locally learn it from the change
 * feed, and lookups stop matching at once (the index follows the same feed). Takedowns already sent keep their
 * record (the law asks records of requests to be kept); nothing new is sent for the case. Withdrawing twice
 * changes nothing. One transaction with its audit entry (actor 'victim').
 * @returns how many hashes were deactivated now
 */
export async function withdrawCase(
  db: Kysely<Database>,
  input: { caseId: string; now: Date },
): Promise<{ deactivated: number; alreadyWithdrawn: boolean }> {
  return db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, input.caseId);
    if (!c) throw new Error(`case ${input.caseId} vanished`);
    const deactivated = await deactivateCaseHashes(trx, c.id, input.now);
    if (c.state === 'withdrawn') return { deactivated, alreadyWithdrawn: true };
    await markCaseWithdrawn(trx, c.id, input.now, extendRetention(c.purge_after, input.now));
    await appendAudit(trx, {
      at: input.now,
      staffId: null,
      actor: 'victim',
      action: 'desk.case.withdraw',
      subjectType: 'desk_case',
      subjectId: c.id,
      after: { hashesDeactivated: deactivated },
    });
    return { deactivated, alreadyWithdrawn: false };
  });
}
