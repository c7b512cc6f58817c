import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { openText } from '../../desk/secrets.js';
import type { Actor } from '../../domain/staff.js';
import { caseContact, caseStatus } from '../../repositories/desk.js';
import { appendAudit } from '../../repositories/writes/audit.js';

/**
 * A desk officer opens a case: its status (hashes by state, matches by feedback, takedowns) and — only when asked
 * for — the counsellor contact, decrypted. EVERY view appends an audit entry (who, when, which case, whether the
 * contact was shown) in the same transaction as the read, so no view goes unrecorded.
 * @returns the case, or undefined when there is none (the attempt is audited too)
 */
export async function viewCase(
  db: Kysely<Database>,
  input: { caseId: string; actor: Actor; now: Date; withContact: boolean; secret: string },
) {
  return db.transaction().execute(async (trx) => {
    const status = await caseStatus(trx, input.caseId);
    const sealed = status && input.withContact ? await caseContact(trx, input.caseId) : null;
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: input.withContact ? 'desk.case.view_contact' : 'desk.case.view',
      subjectType: 'desk_case',
      subjectId: input.caseId,
      after: { found: status !== undefined },
    });
    if (!status) return undefined;
    return { ...status, contact: sealed ? openText(sealed, input.secret, 'desk contact') : null };
  });
}
