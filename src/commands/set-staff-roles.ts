import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type Actor, parseRoles, type StaffRole } from '../domain/staff.js';
import { appendAudit } from '../repositories/writes/audit.js';
import { lockStaffAccount, updateStaffRoles } from '../repositories/writes/staff-accounts.js';

/**
 * Replaces a staff member's roles (named by id or email), audited as 'staff.roles' with before/after, in one
 * transaction that locks the account.
 * @throws DomainError('not_found' | 'invalid_parameter')
 */
export async function setStaffRoles(
  db: Kysely<Database>,
  options: {
    email?: string;
    staffId?: string;
    roles: readonly string[];
    actor: Actor;
    now: Date;
    reason?: string;
  },
): Promise<StaffRole[]> {
  const roles = parseRoles(options.roles);
  return db.transaction().execute(async (trx) => {
    const row = await lockStaffAccount(trx, options);
    await updateStaffRoles(trx, row.id, roles);
    await appendAudit(trx, {
      at: options.now,
      staffId: options.actor.staffId,
      actor: options.actor.name,
      action: 'staff.roles',
      subjectType: 'staff',
      subjectId: row.id,
      reason: options.reason ?? null,
      before: { roles: row.roles },
      after: { roles },
    });
    return roles;
  });
}
