import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { effectiveSettings, getProfile } from '../domain/policy-profiles.js';
import { appendAudit } from '../repositories/audit.js';
import { loadProfileOverrides } from '../repositories/profile-settings.js';
import { saveProfileOverrides } from '../repositories/writes/profile-settings.js';
import type { Actor } from '../staff/accounts.js';
import { DEFAULT_REVIEW_NEAR_DAYS, DEFAULT_REVIEW_TARGET_DAYS } from './queue.js';

/**
 * Administrator settings of moderation, each change audited in its own transaction: the election-period switch,
 * the review target of the queue, the list of reject reasons and the policy profile's runtime settings.
 */

export interface ModerationSettings {
  profile: string;
  reviewTargetDays: number;
  reviewNearDays: number;
  electionActive: boolean;
  /** Category codes withheld while the election switch is on. */
  electionCategories: string[];
  /** Shown publicly on withheld petitions, e.g. '제21대 국회의원 선거 기간(…)에는 정치 분야 청원을 공개하지 않습니다.' */
  electionReason: string;
}

/** A profile's moderation settings (defaults when never set: target 10 days, near 3 days, no election switch). */
export async function loadModerationSettings(
  db: Kysely<Database>,
  profile: string,
): Promise<ModerationSettings> {
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

/** The public reason a petition of `category` is withheld for, or null when the election switch does not cover it. */
export function withheldReason(settings: ModerationSettings, category: string | null): string | null {
  return settings.electionActive && category !== null && settings.electionCategories.includes(category)
    ? settings.electionReason
    : null;
}

/**
 * Changes a profile's moderation settings (merged with the current ones), audited as 'settings.moderation'.
 * @throws DomainError('unknown_category') for a category the profile lacks; DomainError('invalid_setting') when
 *   the switch is on without a public reason, or the target/near days are out of range (1–365, near < target)
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
    const before = await loadModerationSettings(trx, profile.code);
    const after: ModerationSettings = { ...before, ...options.change, profile: profile.code };
    after.electionReason = after.electionReason.trim();
    for (const code of after.electionCategories) {
      if (!profile.categories.some((c) => c.code === code)) {
        throw new DomainError('unknown_category', `${profile.code}에는 ${code} 분야가 없습니다.`, {
          category: code,
        });
      }
    }
    if (after.electionActive && after.electionReason.length === 0) {
      throw new DomainError('invalid_setting', '선거 기간 공개 보류를 켜려면 공개할 이유를 적으십시오.', {
        key: 'electionReason',
      });
    }
    const days = (n: number) => Number.isInteger(n) && n >= 0 && n <= 365;
    if (
      !days(after.reviewTargetDays) ||
      after.reviewTargetDays < 1 ||
      !days(after.reviewNearDays) ||
      after.reviewNearDays >= after.reviewTargetDays
    ) {
      throw new DomainError('invalid_setting', '검토 목표는 1–365일, 임박 구간은 그보다 짧아야 합니다.', {
        key: 'reviewTargetDays',
      });
    }
    const values = {
      profile: profile.code,
      review_target_days: after.reviewTargetDays,
      review_near_days: after.reviewNearDays,
      election_active: after.electionActive,
      election_categories: after.electionCategories,
      election_reason: after.electionReason,
      updated_at: options.now,
    };
    const { profile: _, ...update } = values;
    await trx
      .insertInto('moderation_settings')
      .values(values)
      .onConflict((oc) => oc.column('profile').doUpdateSet(update))
      .execute();
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

/** Reject reasons in list order (`active` ones are offered to moderators). */
export async function listRejectReasons(db: Kysely<Database>, options: { activeOnly?: boolean } = {}) {
  let q = db.selectFrom('reject_reasons').selectAll();
  if (options.activeOnly) q = q.where('active', '=', true);
  return q.orderBy('position').orderBy('code').execute();
}

/**
 * Adds or changes one reject reason (code, label, public text, active), audited as 'settings.reject_reason'.
 * Reasons are never deleted (past decisions name them); deactivate instead.
 * @throws DomainError('invalid_parameter') for a bad code (a–z, 0–9, _; up to 40) or empty/overlong texts
 */
export async function saveRejectReason(
  db: Kysely<Database>,
  options: { code: string; label: string; publicText: string; active: boolean; actor: Actor; now: Date },
): Promise<void> {
  const code = options.code.trim();
  const label = options.label.trim();
  const publicText = options.publicText.trim();
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(code)) {
    throw new DomainError(
      'invalid_parameter',
      '사유 코드는 영문 소문자로 시작하는 40자 이내의 a–z, 0–9, _ 입니다.',
      { fields: ['code'] },
    );
  }
  if (label.length < 1 || label.length > 100 || publicText.length < 1 || publicText.length > 1000) {
    throw new DomainError('invalid_parameter', '이름(100자까지)과 공개 문구(1000자까지)를 적으십시오.', {
      fields: ['label', 'public_text'],
    });
  }
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('reject_reasons')
      .selectAll()
      .where('code', '=', code)
      .forUpdate()
      .executeTakeFirst();
    const row = {
      code,
      label,
      public_text: publicText,
      active: options.active,
      position: before?.position ?? 100,
    };
    await trx
      .insertInto('reject_reasons')
      .values(row)
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({ label, public_text: publicText, active: options.active }),
      )
      .execute();
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

/**
 * Sets (or with `value === undefined`, unsets) one runtime setting of a policy profile through
 * `profile_settings` (src/repositories/profile-settings.ts), validated by `effectiveSettings` before anything is
 * stored, audited as 'settings.policy' with the overrides before and after. App servers pick it up within 30 s.
 * @throws DomainError('unknown_profile' | 'invalid_setting')
 */
export async function changePolicySetting(
  db: Kysely<Database>,
  options: { profile: string; key: string; value: unknown; actor: Actor; now: Date; reason?: string },
): Promise<Record<string, unknown>> {
  const profile = getProfile(options.profile);
  if (profile.archiveOnly) {
    throw new DomainError(
      'invalid_setting',
      `"${profile.code}" only holds imported records; its rules are historical.`,
    );
  }
  return db.transaction().execute(async (trx) => {
    await trx
      .selectFrom('profile_settings')
      .select('profile')
      .where('profile', '=', profile.code)
      .forUpdate()
      .execute();
    const before = await loadProfileOverrides(trx, profile.code);
    const after = Object.fromEntries(Object.entries(before).filter(([k]) => k !== options.key));
    if (options.value !== undefined) after[options.key] = options.value;
    effectiveSettings(profile, after); // validates before anything is stored
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
    return after;
  });
}
