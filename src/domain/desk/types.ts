/**
 * The response desk's named states and kinds (issue 14), each stored as this exact string. The one place a desk
 * state name is spelled; transitions are in takedowns.ts, cases.ts and banks.ts.
 */

/** 'minor': the victim said "I am under 18" — the priority track the operator configures. */
export const CASE_PRIORITIES = ['standard', 'minor'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];

/** A case is active until the victim withdraws it (at any time); withdrawn deactivates its hashes. */
export const CASE_STATES = ['active', 'withdrawn'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Where a bank's hashes came from. */
export const BANK_PROVENANCES = ['victim_submitted', 'authority_reviewed', 'partner_exchange'] as const;
export type BankProvenance = (typeof BANK_PROVENANCES)[number];

export const BANK_REVIEW_STATUSES = ['unreviewed', 'reviewed', 'rejected'] as const;
export type BankReviewStatus = (typeof BANK_REVIEW_STATUSES)[number];

/** 'negative': known benign content; a query that matches it gets no positive match (suppressed). */
export const BANK_KINDS = ['positive', 'negative'] as const;
export type BankKind = (typeof BANK_KINDS)[number];

export const HASH_ALGORITHMS = ['pdq', 'md5'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/**
 * 'active' is matched and listed in the change feed; 'quarantined' (matched too much too suddenly — flood) waits for
 * a person's review and is neither matched nor listed as active; 'inactive' (withdrawn, removed) is a tombstone in
 * the feed.
 */
export const HASH_STATES = ['active', 'quarantined', 'inactive'] as const;
export type HashState = (typeof HASH_STATES)[number];

/** A platform's report on a match (StopNCII's vocabulary). */
export const MATCH_FEEDBACK = ['pending_review', 'blocked', 'not_blocked'] as const;
export type MatchFeedback = (typeof MATCH_FEEDBACK)[number];

/** Platform types, as the transparency report groups them. */
export const PLATFORM_KINDS = [
  'social',
  'video',
  'adult',
  'hosting',
  'messaging',
  'search',
  'other',
] as const;
export type PlatformKind = (typeof PLATFORM_KINDS)[number];

/** What a platform API key may do. */
export const API_SCOPES = ['lookup', 'feedback', 'delta', 'import', 'export'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Languages notices are drafted in (templates: notices.ts). */
export const NOTICE_LANGUAGES = ['ko', 'en', 'ja', 'zh', 'ru', 'es', 'fr'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

/** A notice is drafted, approved by a person, then sent through the outbox. */
export const NOTICE_STATES = ['draft', 'approved', 'sent'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

/** A takedown request for one URL (transitions: takedowns.ts). */
export const TAKEDOWN_STATES = [
  'drafted',
  'approved',
  'sent',
  'acknowledged',
  'removed',
  'refused',
  'unanswered',
  'escalated',
] as const;
export type TakedownState = (typeof TAKEDOWN_STATES)[number];

/** Whether `value` is one of `list` (narrowing). */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
