import { DomainError } from './errors.js';
import type { PolicyProfile } from './policy-profiles.js';

/**
 * Pure rules of moderation: the queue's buckets against the review target, the check-out time, the election-period
 * switch, the moderation settings' bounds, reject reasons' shape, and partial hiding (markers, span replacement).
 */

/** How long a check-out holds a petition for one moderator (minutes); after that anyone may take it. */
export const CHECKOUT_MINUTES = 30;

/** Default review target (days in the queue) and how many days before it a petition counts as "near". */
export const DEFAULT_REVIEW_TARGET_DAYS = 10;
export const DEFAULT_REVIEW_NEAR_DAYS = 3;

export type QueueBucket = 'within' | 'near' | 'over';

export const QUEUE_BUCKET_LABELS: Record<QueueBucket, string> = {
  within: '목표 안',
  near: '목표 임박',
  over: '목표 초과',
};

/**
 * Which bucket a petition waiting `waitedMs` falls in against the review target: 'over' from `targetDays`,
 * 'near' from `targetDays - nearDays`, 'within' before. Days are 24-hour spans (86,400,000 ms), not calendar days.
 */
export function queueBucket(waitedMs: number, targetDays: number, nearDays: number): QueueBucket {
  const days = waitedMs / 86_400_000;
  if (days >= targetDays) return 'over';
  if (days >= targetDays - nearDays) return 'near';
  return 'within';
}

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

/** The public reason a petition of `category` is withheld for, or null when the election switch does not cover it. */
export function withheldReason(
  settings: Pick<ModerationSettings, 'electionActive' | 'electionCategories' | 'electionReason'>,
  category: string | null,
): string | null {
  return settings.electionActive && category !== null && settings.electionCategories.includes(category)
    ? settings.electionReason
    : null;
}

/**
 * Checks a profile's moderation settings as they would be stored (election reason already trimmed).
 * @throws DomainError('unknown_category') for a category the profile lacks; DomainError('invalid_setting') when
 *   the switch is on without a public reason, or the target/near days are out of range (1–365, near < target)
 */
export function checkModerationSettings(profile: PolicyProfile, after: ModerationSettings): void {
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
}

/** A reject reason as an administrator enters it (trimmed). */
export interface RejectReasonInput {
  code: string;
  label: string;
  publicText: string;
}

/**
 * Trims and checks a reject reason's code, label and public text.
 * @throws DomainError('invalid_parameter') for a bad code (a–z, 0–9, _; up to 40) or empty/overlong texts
 */
export function rejectReasonInput(raw: RejectReasonInput): RejectReasonInput {
  const code = raw.code.trim();
  const label = raw.label.trim();
  const publicText = raw.publicText.trim();
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
  return { code, label, publicText };
}

/** The visible marker that replaces a hidden passage, e.g. '[일부 숨김: 개인정보]'. */
export function hiddenMarker(label: string): string {
  return `[일부 숨김: ${label}]`;
}

/** A passage to hide: exact text (every occurrence) or a span, in one field. */
export type PassageSelection =
  | { field: 'title' | 'body'; text: string }
  | { field: 'title' | 'body'; start: number; end: number; replacement?: string };

/** A span of a text to replace, in the original text's offsets (UTF-16 code units). */
export interface ReplacedSpan {
  start: number;
  end: number;
  replacement: string;
}

/**
 * The spans the chosen passages cover in a petition's title and body: every occurrence of an exact passage, or
 * the given span, each replaced by `marker` (or the span's own replacement).
 * @throws DomainError('invalid_parameter') when an exact passage is not in its field's text
 */
export function passageSpans(
  texts: Record<'title' | 'body', string>,
  passages: readonly PassageSelection[],
  marker: string,
): Record<'title' | 'body', ReplacedSpan[]> {
  const spans: Record<'title' | 'body', ReplacedSpan[]> = { title: [], body: [] };
  for (const sel of passages) {
    const text = texts[sel.field];
    if ('text' in sel) {
      const needle = sel.text;
      if (!needle) continue;
      let from = text.indexOf(needle);
      if (from < 0) {
        throw new DomainError('invalid_parameter', `숨길 문구를 찾을 수 없습니다: “${needle.slice(0, 40)}”`, {
          fields: ['passages'],
        });
      }
      while (from >= 0) {
        spans[sel.field].push({ start: from, end: from + needle.length, replacement: marker });
        from = text.indexOf(needle, from + needle.length);
      }
    } else spans[sel.field].push({ start: sel.start, end: sel.end, replacement: sel.replacement ?? marker });
  }
  return spans;
}

/**
 * Replaces chosen spans of `text` with `replacement(span)`. Spans must lie within the text; overlapping or touching
 * spans are merged first (the merged span takes the first one's replacement).
 * @returns the new text and the spans as they were in the original text
 */
export function replaceSpans(text: string, spans: ReplacedSpan[]): { text: string; spans: ReplacedSpan[] } {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: typeof sorted = [];
  for (const s of sorted) {
    if (
      !(
        Number.isInteger(s.start) &&
        Number.isInteger(s.end) &&
        s.start >= 0 &&
        s.end > s.start &&
        s.end <= text.length
      )
    ) {
      throw new DomainError('invalid_parameter', '숨길 부분의 위치가 본문 밖입니다.', {
        fields: ['passages'],
      });
    }
    const last = merged.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  let out = '';
  let at = 0;
  for (const s of merged) {
    out += text.slice(at, s.start) + s.replacement;
    at = s.end;
  }
  return { text: out + text.slice(at), spans: merged };
}

/**
 * A petition as public outputs may show it: when a rejection reason withheld its title (`title_hidden`: defamation,
 * libel) the title is '' and the body null — pages and the API then say the title is withheld. Every public read
 * goes through this (repositories/petitions.ts `listPetitions`, `findPublicPetition`).
 */
export function withTitleWithheld<T extends { title: string; body: string | null; title_hidden: boolean }>(
  row: T,
): T {
  return row.title_hidden ? { ...row, title: '', body: null } : row;
}

/** The public text of a reject reason in `locale`: English when the site speaks English and a text exists. */
export function rejectReasonText(
  reason: { readonly public_text: string; readonly public_text_en: string | null },
  locale: 'ko' | 'en',
): string {
  return locale === 'en' && reason.public_text_en ? reason.public_text_en : reason.public_text;
}

/**
 * A rejected petition's public reason in `locale`: the reject reason's text in that language when the moderator
 * used the list's text (in either language), else the moderator's own words as written.
 * @param stored `petitions.rejection_reason`; reason the list entry behind the latest rejection, if known
 */
export function publicRejectionText(
  stored: string | null,
  reason: { readonly public_text: string; readonly public_text_en: string | null } | undefined,
  locale: 'ko' | 'en',
): string | null {
  if (!reason) return stored;
  if (stored === null || stored === reason.public_text || stored === reason.public_text_en) {
    return rejectReasonText(reason, locale);
  }
  return stored;
}
