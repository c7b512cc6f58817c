import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ModerationSettings } from '../../domain/moderation.js';

/** Stores a profile's moderation settings (inserted the first time, replaced after). */
export async function saveModerationSettings(
  trx: Transaction<Database>,
  settings: ModerationSettings,
  now: Date,
): Promise<void> {
  const update = {
    review_target_days: settings.reviewTargetDays,
    review_near_days: settings.reviewNearDays,
    election_active: settings.electionActive,
    election_categories: settings.electionCategories,
    election_reason: settings.electionReason,
    updated_at: now,
  };
  await trx
    .insertInto('moderation_settings')
    .values({ profile: settings.profile, ...update })
    .onConflict((oc) => oc.column('profile').doUpdateSet(update))
    .execute();
}

/** Locks a profile's moderation settings row for the transaction (nothing when never stored). */
export async function lockModerationSettings(trx: Transaction<Database>, profile: string): Promise<void> {
  await trx
    .selectFrom('moderation_settings')
    .select('profile')
    .where('profile', '=', profile)
    .forUpdate()
    .execute();
}

/** The reject reason with this code, locked for the transaction, or undefined. */
export async function lockRejectReason(trx: Transaction<Database>, code: string) {
  return trx.selectFrom('reject_reasons').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}

/** Adds a reject reason, or changes the label, public text and active flag of an existing one (never its position). */
export async function upsertRejectReason(
  trx: Transaction<Database>,
  row: { code: string; label: string; public_text: string; active: boolean; position: number },
): Promise<void> {
  await trx
    .insertInto('reject_reasons')
    .values(row)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({ label: row.label, public_text: row.public_text, active: row.active }),
    )
    .execute();
}

/** Locks a profile's stored runtime overrides (`profile_settings`) for the transaction (nothing when none). */
export async function lockProfileSettings(trx: Transaction<Database>, profile: string): Promise<void> {
  await trx
    .selectFrom('profile_settings')
    .select('profile')
    .where('profile', '=', profile)
    .forUpdate()
    .execute();
}
