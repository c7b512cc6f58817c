/** The write of a policy profile's runtime overrides (table `profile_settings`); the read is in ../profile-settings.ts. */
import type { Executor } from '../petitions.js';

/**
 * Replaces the stored overrides of `profile` (an upsert; `updated_at = now`). Callers validate them first
 * (`effectiveSettings`) and, when the change is audited, call it inside the transaction that writes the audit event.
 * @param profile policy profile code
 * @param overrides setting key → value, stored as JSON
 */
export async function saveProfileOverrides(
  db: Executor,
  profile: string,
  overrides: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const json = JSON.stringify(overrides);
  await db
    .insertInto('profile_settings')
    .values({ profile, overrides: json, updated_at: now })
    .onConflict((oc) => oc.column('profile').doUpdateSet({ overrides: json, updated_at: now }))
    .execute();
}
