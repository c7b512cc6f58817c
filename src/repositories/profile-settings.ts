/**
 * Reads of a policy profile's stored runtime overrides (table `profile_settings`). The write (replacing them) is
 * `saveProfileOverrides` in writes/profile-settings.ts.
 */
import type { Executor } from './petitions.js';

/**
 * Stored runtime overrides of a profile's settings: a JSON object of setting key → value as last saved (not
 * validated here; `effectiveSettings` validates). `{}` when none were ever set.
 * @param profile policy profile code ('cheongwadae', 'assembly', 'uk', 'wtp')
 */
export async function loadProfileOverrides(db: Executor, profile: string): Promise<Record<string, unknown>> {
  const row = await db
    .selectFrom('profile_settings')
    .select('overrides')
    .where('profile', '=', profile)
    .executeTakeFirst();
  return row?.overrides ?? {};
}
