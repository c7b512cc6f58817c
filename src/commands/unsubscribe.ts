import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { UnsubscribeTarget } from '../notifications/unsubscribe.js';
import { optOutAgreement, optOutCreator } from '../repositories/writes/notifications.js';

/**
 * Stops notifications for `target`, in one transaction: a signer's agreement loses its opt-in (`notify = false`),
 * its contact data is deleted once the agreement is confirmed (nothing needs it any more), and its queued mails are
 * cancelled; a creator is marked unsubscribed and their queued mails are cancelled. Doing it twice changes nothing.
 * @param now UTC instant recorded for a creator
 * @returns false when the link names nothing that exists (an agreement or petition since deleted)
 */
export async function unsubscribe(
  db: Kysely<Database>,
  target: UnsubscribeTarget,
  now: Date,
): Promise<boolean> {
  return db
    .transaction()
    .execute((trx) =>
      target.kind === 'agreement'
        ? optOutAgreement(trx, target.agreementId)
        : optOutCreator(trx, target.petitionId, now),
    );
}
