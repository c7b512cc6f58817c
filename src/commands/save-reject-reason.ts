import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { rejectReasonInput } from '../domain/moderation.js';
import type { Actor } from '../domain/staff.js';
import { appendAudit } from '../repositories/writes/audit.js';
import { lockRejectReason, upsertRejectReason } from '../repositories/writes/moderation-settings.js';

/**
 * Adds or changes one reject reason (code, label, public text, active), audited as 'settings.reject_reason', in one
 * transaction that locks the reason. Reasons are never deleted (past decisions name them); deactivate instead.
 * @throws DomainError('invalid_parameter') for a bad code (a–z, 0–9, _; up to 40) or empty/overlong texts
 */
export async function saveRejectReason(
  db: Kysely<Database>,
  options: { code: string; label: string; publicText: string; active: boolean; actor: Actor; now: Date },
): Promise<void> {
  const { code, label, publicText } = rejectReasonInput(options);
  await db.transaction().execute(async (trx) => {
    const before = await lockRejectReason(trx, code);
    const row = {
      code,
      label,
      public_text: publicText,
      active: options.active,
      position: before?.position ?? 100,
    };
    await upsertRejectReason(trx, row);
    await appendAudit(trx, {
      at: options.now,
      staffId: options.actor.staffId,
      actor: options.actor.name,
      action: 'settings.reject_reason',
      subjectType: 'reject_reason',
      subjectId: code,
      before: before ?? null,
      after: row,
    });
  });
}
