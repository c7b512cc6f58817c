import type { Executor } from './petitions.js';

/** Stored runtime overrides of a profile's settings (a JSON object; `{}` when none were ever set). */
export async function loadProfileOverrides(db: Executor, profile: string): Promise<Record<string, unknown>> {
  const row = await db
    .selectFrom('profile_settings')
    .select('overrides')
    .where('profile', '=', profile)
    .executeTakeFirst();
  return row?.overrides ?? {};
}

/** Replaces the stored overrides of `profile`. Callers validate them first (`effectiveSettings`). */
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
