/**
 * The time-driven transitions of a petition's life: what becomes true merely because time passed. The scheduler
 * (src/scheduling/lifecycle-scheduler.ts) asks the repositories for the petitions that may be due and applies these
 * decisions through one command per transition (src/commands/close-due-petitions.ts and its siblings).
 *
 * - **close** (every profile): an `open` petition whose deadline `closesAt` has come is `closed`, with
 *   `closedAt = closesAt` — the deadline, never the moment the job ran (`closePetition` in closing-dates.ts);
 *   where the answer deadline runs from the close (Blue House: 30 days after), it is fixed then.
 * - **lapse** (profiles with a pre-agreement window, `preAgreementPeriod`; 국회 국민동의청원: 100 supporters within
 *   30 days, Blue House: 100 within 30 days): a petition still `collecting_pre_agreements` when its window ends is
 *   `lapsed`, with `lapsedAt` = the window's end.
 * - **response overdue** (profiles with a response deadline): an owed answer (`awaiting`) whose `responseDueAt` has
 *   come is `overdue`; the answer is still owed and may still be published (late).
 * - **review overdue**: a petition `in_review` longer than the profile's review target (moderation settings,
 *   default 10 days) is flagged for staff once, with the instant the target was breached.
 *
 * Every decision is idempotent (null when nothing is due) so that several schedulers on one database, a scheduler
 * catching up after downtime, and a retry after a crash all record the same instants exactly once. Pure: `now`, the
 * settings and the zone are arguments.
 */
import { DateTime } from 'luxon';
import { agreementPeriod, closePetition } from './closing-dates.js';
import type { PetitionState, ResponseState } from './petition-states.js';
import { assertResponseTransition, assertTransition } from './petition-states.js';
import type { PolicySettings } from './policy-profiles.js';
import { responseDueAt } from './thresholds.js';

/**
 * The state each time-driven transition starts from: repositories select their candidates by these (and the
 * decisions below test them), so the state names live here only.
 */
export const TRANSITION_FROM = {
  close: 'open',
  lapse: 'collecting_pre_agreements',
  reviewOverdue: 'in_review',
} as const satisfies Record<string, PetitionState>;

/** The response state an answer deadline's passing moves from (to `overdue`). */
export const OVERDUE_FROM = 'awaiting' as const satisfies ResponseState;

/** What closing changes on a petition: the state, the instant it closed, and its answer deadline where that runs from the close. */
export interface CloseChanges {
  readonly state: 'closed';
  /** UTC; always the deadline `closesAt`. */
  readonly closedAt: Date;
  /**
   * The answer deadline to store when the petition owes an answer whose deadline runs from the close
   * (`responseDeadline.from === 'close'`); undefined when the stored one stands (or none is owed).
   */
  readonly responseDueAt?: Date | null;
}

/**
 * Whether a petition closes now, and what that changes.
 * @param p.state, p.closesAt, p.closedAt the stored lifecycle facts (UTC instants)
 * @param p.responseState, p.responseThresholdReachedAt the response track (a threshold reached in time keeps its duty)
 * @param settings the profile's effective settings (`responseDeadline`)
 * @param zone the profile's IANA time zone (answer deadlines are local days)
 * @param now the current instant (UTC)
 * @returns the changes, or null when the petition is not open or its deadline has not come (`now < closesAt`)
 */
export function closeDecision(
  p: {
    readonly state: PetitionState;
    readonly closesAt: Date | null;
    readonly closedAt: Date | null;
    readonly responseState: ResponseState;
    readonly responseThresholdReachedAt: Date | null;
  },
  settings: Pick<PolicySettings, 'responseDeadline'>,
  zone: string,
  now: Date,
): CloseChanges | null {
  const close = closePetition(p, now);
  if (!close) return null;
  assertTransition(p.state, 'closed');
  if (
    settings.responseDeadline?.from !== 'close' ||
    p.responseState === 'none' ||
    p.responseState === 'answered'
  )
    return close;
  return {
    ...close,
    responseDueAt: responseDueAt(
      settings,
      { closedAt: close.closedAt, thresholdReachedAt: p.responseThresholdReachedAt },
      zone,
    ),
  };
}

/**
 * When a petition's window for pre-agreements ends: the exclusive UTC instant at the end of the window's last local
 * day, counted like an agreement period from the day collection started (`collectingSince`), or null when the
 * profile sets no window (`preAgreementPeriod: null`, UK) or collection has no recorded start.
 */
export function preAgreementWindowEnd(
  collectingSince: Date | null,
  settings: Pick<PolicySettings, 'preAgreementPeriod'>,
  zone: string,
): Date | null {
  if (collectingSince === null || settings.preAgreementPeriod === null) return null;
  return agreementPeriod(collectingSince, settings.preAgreementPeriod, zone).closesAt;
}

/**
 * The latest `collectingSince` that can have lapsed by `now` under `settings`, with two days to spare: a petition
 * that started collecting after it cannot have lapsed (its window ends no earlier than `collectingSince` + the
 * period). Repositories use it to pick lapse candidates with an index; `lapseDecision` then decides exactly.
 * @returns a UTC instant, or null when the profile has no window
 */
export function lapseCandidateCutoff(
  settings: Pick<PolicySettings, 'preAgreementPeriod'>,
  now: Date,
): Date | null {
  if (settings.preAgreementPeriod === null) return null;
  return DateTime.fromJSDate(now, { zone: 'UTC' })
    .minus(settings.preAgreementPeriod)
    .plus({ days: 2 })
    .toJSDate();
}

/**
 * Whether a petition collecting pre-agreements lapses now.
 * @returns `{ state: 'lapsed', lapsedAt }` with `lapsedAt` = the window's end, or null when the petition is not
 *   collecting, its profile has no window, the window is still open, or it already has enough pre-agreements (the
 *   writer moves it to review in the batch that reaches them; a count reached exactly at the end stays reached)
 */
export function lapseDecision(
  p: { readonly state: PetitionState; readonly collectingSince: Date | null; readonly count: number },
  settings: Pick<PolicySettings, 'preAgreementPeriod' | 'preAgreementThreshold'>,
  zone: string,
  now: Date,
): { readonly state: 'lapsed'; readonly lapsedAt: Date } | null {
  if (p.state !== TRANSITION_FROM.lapse) return null;
  if (p.count >= settings.preAgreementThreshold) return null;
  const end = preAgreementWindowEnd(p.collectingSince, settings, zone);
  if (end === null || now.getTime() < end.getTime()) return null;
  assertTransition(p.state, 'lapsed');
  return { state: 'lapsed', lapsedAt: end };
}

/**
 * Whether an owed answer becomes overdue now: `awaiting` with a deadline that has come (`now >= responseDueAt`).
 * @returns 'overdue', or null (no deadline, not yet due, or not awaiting)
 */
export function overdueDecision(
  p: { readonly responseState: ResponseState; readonly responseDueAt: Date | null },
  now: Date,
): 'overdue' | null {
  if (p.responseState !== OVERDUE_FROM || p.responseDueAt === null) return null;
  if (now.getTime() < p.responseDueAt.getTime()) return null;
  assertResponseTransition(OVERDUE_FROM, 'overdue');
  return 'overdue';
}

/** One day of the review target: review targets count 24-hour spans, as the moderation queue does. */
export const REVIEW_DAY_MS = 86_400_000;

/**
 * When a petition in review breaches the review target: `reviewStartedAt + targetDays × 24 h`.
 * @returns that UTC instant when it has come (`now >=` it) and the breach is not recorded yet; else null
 */
export function reviewOverdueDecision(
  p: {
    readonly state: PetitionState;
    readonly reviewStartedAt: Date | null;
    readonly reviewOverdueAt: Date | null;
  },
  targetDays: number,
  now: Date,
): Date | null {
  if (p.state !== TRANSITION_FROM.reviewOverdue || p.reviewStartedAt === null || p.reviewOverdueAt !== null)
    return null;
  const breach = new Date(p.reviewStartedAt.getTime() + targetDays * REVIEW_DAY_MS);
  return now.getTime() >= breach.getTime() ? breach : null;
}
