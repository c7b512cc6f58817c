import { DomainError } from '../errors.js';
import type { NoticeLanguage, TakedownState } from './types.js';

/**
 * Takedown requests: one URL where a victim's material was seen, from the first draft to its end.
 *
 *   drafted → approved → sent → acknowledged → removed | refused | unanswered → escalated
 *
 * - drafted → approved: a desk officer approved the notice (a person approves every notice before it goes out);
 * - approved → sent: the notice went to the outbox; the legal clock starts (`legalDeadline`);
 * - sent → acknowledged: the platform confirmed receipt;
 * - sent | acknowledged → removed | refused: the platform's answer;
 * - sent | acknowledged → unanswered: the deadline passed without an answer (the scheduler decides this,
 *   `isUnanswered`);
 * - refused | unanswered → escalated: handed to the review body (방송통신심의위원회) or the police;
 * - removed: re-upload monitoring looks again on the schedule `RECHECK_AFTER_DAYS`.
 */
export const TAKEDOWN_TRANSITIONS: Readonly<Record<TakedownState, readonly TakedownState[]>> = {
  drafted: ['approved'],
  approved: ['sent'],
  sent: ['acknowledged', 'removed', 'refused', 'unanswered'],
  acknowledged: ['removed', 'refused', 'unanswered'],
  removed: [],
  refused: ['escalated'],
  unanswered: ['escalated', 'removed', 'refused'],
  escalated: ['removed'],
};

/** States in which the platform owes an answer: the legal clock runs. */
export const CLOCK_RUNNING: readonly TakedownState[] = ['sent', 'acknowledged'];

/** States that end the request (nothing more is owed by the platform). */
export const TAKEDOWN_FINAL: readonly TakedownState[] = ['removed', 'refused', 'unanswered', 'escalated'];

/**
 * @throws DomainError('invalid_transition') when `to` does not follow `from` (TAKEDOWN_TRANSITIONS)
 */
export function assertTakedownTransition(from: TakedownState, to: TakedownState): void {
  if (!TAKEDOWN_TRANSITIONS[from].includes(to)) {
    throw new DomainError('invalid_transition', `삭제 요청을 '${from}'에서 '${to}'(으)로 바꿀 수 없습니다.`, {
      from,
      to,
      allowed: [...TAKEDOWN_TRANSITIONS[from]],
    });
  }
}

/**
 * Days a platform has to tell the requester the result of a removal request.
 *
 * Source: 전기통신사업법 (Telecommunications Business Act) art. 22-5 (as amended 2020-06-09, in force 2020-12-10)
 * and its Enforcement Decree: an operator that receives a request to remove illegal filmed material must remove it
 * without delay and tell the requester the result within 14 days of the request; the period may be extended once,
 * with the reason given to the requester. The desk counts the extension as 14 more days (the law sets no length of
 * its own; the desk records the extension and shows the new date).
 */
export const LEGAL_DEADLINE_DAYS = 14;
/** Days one extension adds (see `LEGAL_DEADLINE_DAYS`). */
export const EXTENSION_DAYS = 14;

const DAY_MS = 86_400_000;

/** The legal deadline of a request sent at `sentAt` (UTC instant; 14 × 24 h later). */
export function legalDeadline(sentAt: Date): Date {
  return new Date(sentAt.getTime() + LEGAL_DEADLINE_DAYS * DAY_MS);
}

/**
 * The deadline after the one allowed extension.
 * @throws DomainError('invalid_transition') when already extended, or when the clock is not running
 */
export function extendedDeadline(t: {
  state: TakedownState;
  dueAt: Date | null;
  extendedAt: Date | null;
}): Date {
  if (!CLOCK_RUNNING.includes(t.state) || t.dueAt === null) {
    throw new DomainError('invalid_transition', '보낸 뒤 답을 기다리는 요청만 기한을 연장할 수 있습니다.');
  }
  if (t.extendedAt !== null) {
    throw new DomainError(
      'invalid_transition',
      '기한은 한 번만 연장할 수 있습니다 (전기통신사업법 제22조의5).',
    );
  }
  return new Date(t.dueAt.getTime() + EXTENSION_DAYS * DAY_MS);
}

/** Whether the platform's time ran out at `now` without an answer (→ unanswered). */
export function isUnanswered(t: { state: TakedownState; dueAt: Date | null }, now: Date): boolean {
  return CLOCK_RUNNING.includes(t.state) && t.dueAt !== null && now.getTime() >= t.dueAt.getTime();
}

/**
 * The legal clock as staff see it: days left (negative when overdue, counted in whole 24-hour periods, rounded
 * toward the deadline), or null when no clock runs.
 */
export function legalClock(
  t: { state: TakedownState; dueAt: Date | null },
  now: Date,
): { dueAt: Date; daysLeft: number; overdue: boolean } | null {
  if (!CLOCK_RUNNING.includes(t.state) && t.state !== 'unanswered') return null;
  if (t.dueAt === null) return null;
  const ms = t.dueAt.getTime() - now.getTime();
  return {
    dueAt: t.dueAt,
    daysLeft: ms >= 0 ? Math.ceil(ms / DAY_MS) : -Math.ceil(-ms / DAY_MS),
    overdue: ms <= 0,
  };
}

/**
 * The order of the takedown queue: overdue first (longest overdue first), then running clocks by deadline, then
 * the rest (drafts waiting for approval before approved ones, oldest first).
 */
export function compareTakedowns(
  a: { state: TakedownState; dueAt: Date | null; createdAt: Date },
  b: { state: TakedownState; dueAt: Date | null; createdAt: Date },
  now: Date,
): number {
  const rank = (t: typeof a) => {
    if (t.state === 'unanswered') return 0;
    if (CLOCK_RUNNING.includes(t.state)) return t.dueAt !== null && t.dueAt <= now ? 0 : 1;
    if (t.state === 'drafted' || t.state === 'approved') return 2;
    return 3;
  };
  const r = rank(a) - rank(b);
  if (r !== 0) return r;
  const da = a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const db = b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da - db;
  return a.createdAt.getTime() - b.createdAt.getTime();
}

/**
 * Re-upload monitoring: after a removal the desk looks at the URL (and the case's hashes are matched by platforms)
 * again 1, 7, 30 and 90 days later; after the last look the monitoring ends.
 */
export const RECHECK_AFTER_DAYS = [1, 7, 30, 90] as const;

/**
 * When to look again after `rechecksDone` looks, counted from the removal at `removedAt`; null when the schedule is
 * done.
 */
export function nextRecheck(removedAt: Date, rechecksDone: number): Date | null {
  const days = RECHECK_AFTER_DAYS[rechecksDone];
  return days === undefined ? null : new Date(removedAt.getTime() + days * DAY_MS);
}

/**
 * A takedown URL: http(s) only, at most 2,048 characters, no credentials; its site is the host name (lower case,
 * without `www.`).
 * @throws DomainError('invalid_parameter') naming the field `url`
 */
export function parseTakedownUrl(raw: string): { url: string; site: string } {
  const text = raw.trim();
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new DomainError('invalid_parameter', `주소(URL)가 올바르지 않습니다: ${text.slice(0, 80)}`, {
      fields: { url: 'not a URL' },
    });
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || text.length > 2048 || u.username || u.password) {
    throw new DomainError(
      'invalid_parameter',
      'http:// 또는 https:// 로 시작하는 2,048자 이하의 주소만 받습니다.',
      {
        fields: { url: 'http(s) only, at most 2048 characters, no credentials' },
      },
    );
  }
  return { url: u.toString(), site: u.hostname.toLowerCase().replace(/^www\./, '') };
}

const LANGUAGE_BY_TLD: Record<string, NoticeLanguage> = {
  kr: 'ko',
  jp: 'ja',
  cn: 'zh',
  tw: 'zh',
  hk: 'zh',
  ru: 'ru',
  by: 'ru',
  kz: 'ru',
  es: 'es',
  mx: 'es',
  ar: 'es',
  co: 'es',
  cl: 'es',
  fr: 'fr',
  be: 'fr',
};

/**
 * The language a notice to `site` is first drafted in: by the site's country domain (.kr Korean, .jp Japanese,
 * .cn/.tw/.hk Chinese, .ru/.by/.kz Russian, .es/.mx/.ar/.co/.cl Spanish, .fr/.be French), else English. The
 * officer may redraft in another language before approving.
 */
export function defaultNoticeLanguage(site: string): NoticeLanguage {
  const tld = site.slice(site.lastIndexOf('.') + 1);
  return LANGUAGE_BY_TLD[tld] ?? 'en';
}
