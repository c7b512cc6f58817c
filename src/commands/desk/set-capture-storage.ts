import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../domain/staff.js';
import { deskSettings } from '../../repositories/desk.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { updateDeskSettings } from '../../repositories/writes/desk.js';

/**
 * Turns the storage of captured content on or off (off by default: evidence keeps only the SHA-256 of a capture).
 * Only an administrator may (the route's and the CLI's policy); the change is audited with the reason given.
 */
export async function setCaptureStorage(
  db: Kysely<Database>,
  input: { on: boolean; reason: string; actor: Actor; now: Date },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await deskSettings(trx);
    await updateDeskSettings(trx, { capture_storage: input.on }, input.now);
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: 'desk.settings.capture_storage',
      subjectType: 'desk_settings',
      subjectId: null,
      reason: input.reason,
      before: { captureStorage: before.capture_storage },
      after: { captureStorage: input.on },
    });
  });
}
