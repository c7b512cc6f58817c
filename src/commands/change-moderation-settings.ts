import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { checkModerationSettings, type ModerationSettings } from '../domain/moderation.js';
import { getProfile } from '../domain/policy-profiles.js';
import type { Actor } from '../domain/staff.js';
import { loadModerationSettings } from '../repositories/moderation-settings.js';
import { appendAudit } from '../repositories/writes/audit.js';
import {
  lockModerationSettings,
  saveModerationSettings,
} from '../repositories/writes/moderation-settings.js';

/**
 * Changes a profile's moderation settings — the election-period switch and the review target of the queue —
 * merged with the current ones, in one transaction that locks the stored row, audited as 'settings.moderation'.
 * @throws DomainError('unknown_profile'); DomainError('unknown_category') for a category the profile lacks;
 *   DomainError('invalid_setting') when the switch is on without a public reason, or the target/near days are out
 *   of range (1–365, near < target)
 */
export async function changeModerationSettings(
  db: Kysely<Database>,
  options: {
    profile: string;
    change: Partial<Omit<ModerationSettings, 'profile'>>;
    actor: Actor;
    now: Date;
    reason?: string;
  },
): Promise<ModerationSettings> {
  const profile = getProfile(options.profile);
  return db.transaction().execute(async (trx) => {
    await lockModerationSettings(trx, profile.code);
    const before = await loadModerationSettings(trx, profile.code);
    const after: ModerationSettings = { ...before, ...options.change, profile: profile.code };
    after.electionReason = after.electionReason.trim();
    checkModerationSettings(profile, after);
    await saveModerationSettings(trx, after, options.now);
    await appendAudit(trx, {
      at: options.now,
      staffId: options.actor.staffId,
      actor: options.actor.name,
      action: 'settings.moderation',
      subjectType: 'settings',
      subjectId: profile.code,
      reason: options.reason ?? null,
      before,
      after,
    });
    return after;
  });
}
