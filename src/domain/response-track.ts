/**
 * What the public sees of a petition's response track (awaiting with days left, overdue, answered), and the UK's
 * separate debate track.
 *
 * The deadline itself is `responseDueAt` (thresholds.ts): an exclusive UTC instant, the start of the local day
 * after the last allowed day in the profile's zone (Blue House: 30 days after the petition's last day; UK: 21 days
 * after the day the 10,000 threshold was crossed; 국회 and We the People: no fixed deadline). Here it is only
 * read: "days left" are counted in local calendar days of the profile's zone, so a deadline over a daylight-saving
 * change or at a month's end counts the days a person would count on a calendar.
 *
 * An overdue answer is shown as overdue, never silently: once `now >= dueAt` without an answer the view is
 * `overdue`, with the number of days past the last allowed day.
 *
 * Pure: `now` and the zone are arguments.
 */
import { DateTime } from 'luxon';
import { type LocalDate, localDate } from './closing-dates.js';
import { DomainError } from './errors.js';
import type { ResponseState } from './petition-states.js';

/** A petition's response track as shown to the public. Dates are local to the profile's zone. */
export type ResponseTrackView =
  | { readonly status: 'none' }
  /** Due, not yet answered. `dueAt`/`lastDay`/`daysLeft` are null when the profile has no fixed deadline. */
  | {
      readonly status: 'awaiting';
      readonly dueAt: Date | null;
      /** Last allowed local day ('YYYY-MM-DD'). */
      readonly lastDay: LocalDate | null;
      /** Whole local days from today to the last allowed day: 0 = today is the last day. */
      readonly daysLeft: number | null;
    }
  /** Past the deadline without an answer. */
  | {
      readonly status: 'overdue';
      readonly dueAt: Date;
      readonly lastDay: LocalDate;
      /** Whole local days since the last allowed day (≥ 1). */
      readonly daysOverdue: number;
    }
  /** Answered; `late` is true when the answer came after the deadline, null when there was no deadline. */
  | { readonly status: 'answered'; readonly answeredAt: Date | null; readonly late: boolean | null };

/** Whole calendar days from local date `a` to local date `b` (b − a), both 'YYYY-MM-DD'. */
function daysBetween(a: LocalDate, b: LocalDate): number {
  const from = DateTime.fromISO(a, { zone: 'UTC' });
  const to = DateTime.fromISO(b, { zone: 'UTC' });
  return Math.round(to.diff(from, 'days').days);
}

/**
 * The response track of a petition at `now`.
 *
 * @param p.responseState stored `response_state` ('none' | 'awaiting' | 'overdue' | 'answered'); the view is
 *   overdue from `dueAt` on whether or not the scheduler has marked it yet
 * @param p.responseDueAt exclusive UTC deadline (see `responseDueAt`), or null for no fixed deadline
 * @param p.answeredAt UTC instant the first answer was published, or null
 * @param now the current UTC instant
 * @param zone the profile's IANA time zone (days are counted in it)
 * @returns the view (see `ResponseTrackView`): awaiting while `now < dueAt`, overdue from `dueAt` on
 * @throws DomainError('invalid_setting') for an unknown zone; DomainError('invalid_parameter') for an unknown state
 */
export function responseTrackAt(
  p: {
    readonly responseState: ResponseState | string;
    readonly responseDueAt: Date | null;
    readonly answeredAt: Date | null;
  },
  now: Date,
  zone: string,
): ResponseTrackView {
  const due = p.responseDueAt;
  const lastDay = due ? localDate(new Date(due.getTime() - 1), zone) : null;
  switch (p.responseState) {
    case 'none':
      return { status: 'none' };
    case 'answered':
      return {
        status: 'answered',
        answeredAt: p.answeredAt,
        late: due && p.answeredAt ? p.answeredAt.getTime() >= due.getTime() : null,
      };
    case 'awaiting':
    case 'overdue': {
      if (!due || !lastDay) return { status: 'awaiting', dueAt: null, lastDay: null, daysLeft: null };
      const today = localDate(now, zone);
      if (now.getTime() >= due.getTime()) {
        return {
          status: 'overdue',
          dueAt: due,
          lastDay,
          daysOverdue: Math.max(1, daysBetween(lastDay, today)),
        };
      }
      return { status: 'awaiting', dueAt: due, lastDay, daysLeft: daysBetween(today, lastDay) };
    }
    default:
      throw new DomainError('invalid_parameter', `Unknown response state "${p.responseState}".`, {
        parameter: 'responseState',
      });
  }
}

/**
 * One line describing the track for people, in Korean (the platform's wording, 합쇼체-free labels as on the
 * petition pages) or English. Empty for `none`.
 *
 * ko: '답변 기한 2026-12-20 (3일 남음)', '답변 기한 2026-12-20 (오늘까지)', '답변 기한 2026-12-20을 3일 넘겼습니다
 * (답변 지연)', '답변 기한 없음', '답변 완료 (기한 후 답변)'.
 * en: 'Response due by 2026-12-20 (3 days left)', '… (due today)', 'Response overdue: due by 2026-12-20, 3 days
 * ago', 'No fixed response deadline', 'Answered (after the deadline)'.
 */
export function describeResponseTrack(view: ResponseTrackView, locale: 'ko' | 'en'): string {
  const ko = locale === 'ko';
  switch (view.status) {
    case 'none':
      return '';
    case 'answered':
      if (view.late === true) return ko ? '답변 완료 (기한 후 답변)' : 'Answered (after the deadline)';
      return ko ? '답변 완료' : 'Answered';
    case 'overdue':
      return ko
        ? `답변 기한 ${view.lastDay}을 ${view.daysOverdue}일 넘겼습니다 (답변 지연)`
        : `Response overdue: due by ${view.lastDay}, ${view.daysOverdue} ${view.daysOverdue === 1 ? 'day' : 'days'} ago`;
    case 'awaiting': {
      if (view.lastDay === null || view.daysLeft === null) {
        return ko ? '답변 기한 없음' : 'No fixed response deadline';
      }
      const left = view.daysLeft;
      if (ko) return `답변 기한 ${view.lastDay} (${left === 0 ? '오늘까지' : `${left}일 남음`})`;
      return `Response due by ${view.lastDay} (${left === 0 ? 'due today' : `${left} ${left === 1 ? 'day' : 'days'} left`})`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// UK debate track
// ---------------------------------------------------------------------------------------------------------------

/**
 * The UK Parliament's second track (petition.parliament.uk: "At 100,000 signatures, this petition will be
 * considered for debate in Parliament"), kept apart from the response track; alphagov/e-petitions keeps it as
 * `debate_state` beside `response_state` in the same way:
 * - `none` — the debate threshold is not reached;
 * - `awaiting` — reached: waiting for the Petitions Committee to decide (e-petitions "awaiting");
 * - `scheduled` — a debate is scheduled (`debate_scheduled_on`);
 * - `debated` — debated in Parliament (final);
 * - `not_debated` — the Committee decided not to debate it (final; e.g. already debated recently).
 */
export const DEBATE_STATES = ['none', 'awaiting', 'scheduled', 'debated', 'not_debated'] as const;

/** One of `DEBATE_STATES`, stored as this string (`petitions.debate_state`). */
export type DebateState = (typeof DEBATE_STATES)[number];

/**
 * Allowed debate-track moves: none → awaiting (threshold crossed); awaiting → none (crossing undone by a recount),
 * scheduled, not_debated; scheduled → debated, not_debated, awaiting (a debate postponed without a new date);
 * debated and not_debated are final.
 */
export const DEBATE_TRANSITIONS: Readonly<Record<DebateState, readonly DebateState[]>> = {
  none: ['awaiting'],
  awaiting: ['none', 'scheduled', 'not_debated'],
  scheduled: ['debated', 'not_debated', 'awaiting'],
  debated: [],
  not_debated: [],
};

/** Debate states that carry a date (`debate_scheduled_on`): a debate is scheduled. */
export const DEBATE_DATED_STATES = ['scheduled'] as const satisfies readonly DebateState[];

/** True when a debate is scheduled and its date is shown (`DEBATE_DATED_STATES`). */
export function isDebateScheduled(state: DebateState): boolean {
  return (DEBATE_DATED_STATES as readonly DebateState[]).includes(state);
}

/** Type guard for `DEBATE_STATES`. */
export function isDebateState(x: unknown): x is DebateState {
  return typeof x === 'string' && (DEBATE_STATES as readonly string[]).includes(x);
}

/**
 * Refuses a debate-track move that is not allowed.
 * @throws DomainError('invalid_transition') with details `{ track: 'debate', from, to, allowed }`
 */
export function assertDebateTransition(from: DebateState, to: DebateState): void {
  const allowed = DEBATE_TRANSITIONS[from];
  if (allowed.includes(to)) return;
  throw new DomainError(
    'invalid_transition',
    `A petition's debate state cannot go from "${from}" to "${to}"; from "${from}" it may only go to ${
      allowed.length === 0 ? 'nothing (it is final)' : allowed.map((s) => `"${s}"`).join(', ')
    }.`,
    { track: 'debate', from, to, allowed: [...allowed] },
  );
}

/** Korean and English labels of the debate track ('' for none). */
export const DEBATE_STATE_LABELS: Readonly<
  Record<DebateState, { readonly ko: string; readonly en: string }>
> = {
  none: { ko: '', en: '' },
  awaiting: { ko: '토론 여부 검토 중', en: 'Awaiting a decision on a debate' },
  scheduled: { ko: '의회 토론 예정', en: 'Debate scheduled' },
  debated: { ko: '의회 토론 완료', en: 'Debated in Parliament' },
  not_debated: { ko: '토론하지 않기로 결정', en: 'Not debated' },
};
