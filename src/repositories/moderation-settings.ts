import { DomainError } from '../domain/errors.js';
import {
  DEFAULT_REVIEW_NEAR_DAYS,
  DEFAULT_REVIEW_TARGET_DAYS,
  type ModerationSettings,
} from '../domain/moderation.js';
import type { Executor } from './petitions.js';
import { loadProfileOverrides } from './profile-settings.js';

/** A profile's moderation settings (defaults when never set: target 10 days, near 3 days, no election switch). */
export async function loadModerationSettings(db: Executor, profile: string): Promise<ModerationSettings> {
  const row = await db
    .selectFrom('moderation_settings')
    .selectAll()
    .where('profile', '=', profile)
    .executeTakeFirst();
  return {
    profile,
    reviewTargetDays: row?.review_target_days ?? DEFAULT_REVIEW_TARGET_DAYS,
    reviewNearDays: row?.review_near_days ?? DEFAULT_REVIEW_NEAR_DAYS,
    electionActive: row?.election_active ?? false,
    electionCategories: row?.election_categories ?? [],
    electionReason: row?.election_reason ?? '',
  };
}

/** Reject reasons in list order (`active` ones are offered to moderators). */
export async function listRejectReasons(db: Executor, options: { activeOnly?: boolean } = {}) {
  let q = db.selectFrom('reject_reasons').selectAll();
  if (options.activeOnly) q = q.where('active', '=', true);
  return q.orderBy('position').orderBy('code').execute();
}

/**
 * An active reject reason's code and public text.
 * @throws DomainError('invalid_parameter') when the code is unknown or the reason inactive
 */
export async function activeRejectReason(db: Executor, code: string) {
  const reason = await db
    .selectFrom('reject_reasons')
    .select(['code', 'public_text', 'public_text_en', 'label', 'label_en', 'hides_title'])
    .where('code', '=', code)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!reason)
    throw new DomainError('invalid_parameter', '목록에 있는 거부 사유를 고르십시오.', {
      fields: ['reason_code'],
    });
  return reason;
}

/**
 * What the administrator's settings page shows for a profile: its moderation settings, every reject reason (active
 * or not) and its stored runtime overrides.
 */
export async function settingsOverview(db: Executor, profile: string) {
  const [settings, reasons, overrides] = await Promise.all([
    loadModerationSettings(db, profile),
    listRejectReasons(db),
    loadProfileOverrides(db, profile),
  ]);
  return { settings, reasons, overrides };
}
