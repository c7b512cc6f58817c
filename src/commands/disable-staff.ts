import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Actor } from '../domain/staff.js';
import { appendAudit } from '../repositories/writes/audit.js';
import { disableStaffAccount, lockStaffAccount } from '../repositories/writes/staff-accounts.js';

/**
 * Disables a staff account (named by id or email), ends its sessions and gives back its check-outs, audited as
 * 'staff.disable', in one transaction that locks the account. Disabling twice changes nothing more.
 * @throws DomainError('not_found')
 */
export async function disableStaff(
  db: Kysely<Database>,
  options: { email?: string; staffId?: string; actor: Actor; now: Date; reason?: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await lockStaffAccount(trx, options);
    if (row.disabled_at) return;
    await disableStaffAccount(trx, row.id, options.now);
    await appendAudit(trx, {
      at: options.now,
      staffId: options.actor.staffId,
      actor: options.actor.name,
      action: 'staff.disable',
      subjectType: 'staff',
      subjectId: row.id,
      reason: options.reason ?? null,
      before: { disabled_at: null },
      after: { disabled_at: options.now.toISOString() },
    });
  });
}
