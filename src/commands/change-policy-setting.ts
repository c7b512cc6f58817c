import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { effectiveSettings, getProfile, type PolicySettings } from '../domain/policy-profiles.js';
import type { Actor } from '../domain/staff.js';
import { loadProfileOverrides } from '../repositories/profile-settings.js';
import { appendAudit } from '../repositories/writes/audit.js';
import { lockProfileSettings } from '../repositories/writes/moderation-settings.js';
import { saveProfileOverrides } from '../repositories/writes/profile-settings.js';

/**
 * Sets (or with `value === undefined`, unsets) one runtime setting of a policy profile through
 * `profile_settings` (src/repositories/profile-settings.ts), in one transaction that locks the profile's row,
 * validated by `effectiveSettings` before anything is stored, audited as 'settings.policy' with the overrides
 * before and after. The one path for both the staff settings page and `cheongwon settings set|unset` (actor
 * 'cli:<user>'). App servers pick it up within 30 s.
 * @returns the stored overrides after the change and the settings they give
 * @throws DomainError('unknown_profile' | 'invalid_setting'); an archive-only profile cannot be changed
 */
export async function changePolicySetting(
  db: Kysely<Database>,
  options: { profile: string; key: string; value: unknown; actor: Actor; now: Date; reason?: string },
): Promise<{ profile: string; overrides: Record<string, unknown>; effective: PolicySettings }> {
  const profile = getProfile(options.profile);
  if (profile.archiveOnly) {
    throw new DomainError(
      'invalid_setting',
      `"${profile.code}" only holds imported records; its rules are historical.`,
    );
  }
  return db.transaction().execute(async (trx) => {
    await lockProfileSettings(trx, profile.code);
    const before = await loadProfileOverrides(trx, profile.code);
    const after = Object.fromEntries(Object.entries(before).filter(([k]) => k !== options.key));
    if (options.value !== undefined) after[options.key] = options.value;
    const effective = effectiveSettings(profile, after); // validates before anything is stored
    await saveProfileOverrides(trx, profile.code, after, options.now);
    await appendAudit(trx, {
      at: options.now,
      staffId: options.actor.staffId,
      actor: options.actor.name,
      action: 'settings.policy',
      subjectType: 'settings',
      subjectId: profile.code,
      reason: options.reason ?? null,
      before,
      after,
    });
    return { profile: profile.code, overrides: after, effective };
  });
}
