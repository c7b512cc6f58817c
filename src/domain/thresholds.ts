/**
 * Threshold crossings: recording the moment a petition's count reaches a threshold, and the response deadline.
 *
 * The rule (alphagov/e-petitions `response_threshold_reached_at` / `debate_threshold_reached_at`):
 *  - a threshold is reached when `count >= threshold` (200,000 reaches 200,000; 199,999 does not);
 *  - the moment is stored once, when the crossing is first seen, whatever the jump: a count going
 *    199,000 → 250,000 records `now`; later, higher counts keep that first moment;
 *  - if the count falls back below the threshold (a reconcile removed invalid agreements), the moment is cleared:
 *    the crossing is undone, and a later crossing records a new moment.
 *
 * The stored `reachedAt` is the source of truth for "already crossed": if it is null while the count is already
 * at or above the threshold (e.g. an administrator lowered the threshold), the next count records the crossing.
 *
 * Pure: `now` is passed in; no I/O.
 */
import { addToLocalDate, closesAtForLastDay, type LocalDate, localDate } from './closing-dates.js';
import type { PolicySettings } from './policy-profiles.js';

/** A count and one threshold, as stored. Counts are agreement counts (integers ≥ 0). */
export interface ThresholdState {
  /** The last count applied (informational; `reachedAt` is what decides whether a crossing is new). */
  readonly count: number;
  /** Integer ≥ 1 (e.g. 200,000). */
  readonly threshold: number;
  /** UTC instant the threshold was crossed, or null while it is not reached. */
  readonly reachedAt: Date | null;
}

/** `ThresholdState` after a new count, with what happened. Feed it back in as the next state. */
export interface ThresholdOutcome extends ThresholdState {
  /** True exactly when this count crossed the threshold (reachedAt was null, now set to `now`). */
  readonly crossed: boolean;
  /** True exactly when this count undid an earlier crossing (reachedAt was set, now cleared). */
  readonly undone: boolean;
}

function checkCount(n: number, name: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be an integer ≥ 0, got ${n}`);
}

/**
 * Applies a new count to one threshold.
 *
 * @param current `{ count, threshold, reachedAt }` as stored
 * @param newCount the new agreement count (integer ≥ 0)
 * @param now the current UTC instant, recorded as `reachedAt` on a crossing
 * @returns `{ count: newCount, threshold, reachedAt, crossed, undone }`:
 *   - `newCount >= threshold` and reachedAt was null → reachedAt = now, crossed;
 *   - `newCount >= threshold` and reachedAt was set → unchanged (the original moment is kept);
 *   - `newCount < threshold` and reachedAt was set → reachedAt = null, undone;
 *   - otherwise unchanged.
 * @throws RangeError when a count is not an integer ≥ 0 or the threshold not an integer ≥ 1 (programming errors)
 */
export function applyCount(current: ThresholdState, newCount: number, now: Date): ThresholdOutcome {
  checkCount(newCount, 'newCount');
  if (!Number.isSafeInteger(current.threshold) || current.threshold < 1) {
    throw new RangeError(`threshold must be an integer ≥ 1, got ${current.threshold}`);
  }
  const reached = newCount >= current.threshold;
  if (reached && current.reachedAt === null) {
    return { count: newCount, threshold: current.threshold, reachedAt: now, crossed: true, undone: false };
  }
  if (!reached && current.reachedAt !== null) {
    return { count: newCount, threshold: current.threshold, reachedAt: null, crossed: false, undone: true };
  }
  return {
    count: newCount,
    threshold: current.threshold,
    reachedAt: current.reachedAt,
    crossed: false,
    undone: false,
  };
}

/** A petition's count and its stored crossing moments (UTC instants or null). */
export interface PetitionThresholds {
  readonly count: number;
  readonly responseThresholdReachedAt: Date | null;
  readonly debateThresholdReachedAt: Date | null;
}

/** `PetitionThresholds` after a new count, with what happened to each threshold. */
export interface PetitionThresholdsOutcome extends PetitionThresholds {
  readonly response: { readonly crossed: boolean; readonly undone: boolean };
  /** null when the settings have no debate threshold (then `debateThresholdReachedAt` is passed through as is). */
  readonly debate: { readonly crossed: boolean; readonly undone: boolean } | null;
}

/**
 * Applies a new count to all of a profile's thresholds at once (response, and debate where the profile has one),
 * each by `applyCount`'s rule. The two are independent: a UK petition at 150,000 has crossed the 10,000 response
 * threshold and the 100,000 debate threshold, each with its own moment.
 *
 * @param settings the effective settings (`responseThreshold`, `debateThreshold`; see `effectiveSettings`)
 * @param current the stored count and crossing moments
 * @param newCount the new agreement count (integer ≥ 0)
 * @param now current UTC instant
 * @throws RangeError for a count that is not an integer ≥ 0
 */
export function applyCountToThresholds(
  settings: Pick<PolicySettings, 'responseThreshold' | 'debateThreshold'>,
  current: PetitionThresholds,
  newCount: number,
  now: Date,
): PetitionThresholdsOutcome {
  const response = applyCount(
    {
      count: current.count,
      threshold: settings.responseThreshold,
      reachedAt: current.responseThresholdReachedAt,
    },
    newCount,
    now,
  );
  if (settings.debateThreshold === null) {
    return {
      count: newCount,
      responseThresholdReachedAt: response.reachedAt,
      debateThresholdReachedAt: current.debateThresholdReachedAt,
      response: { crossed: response.crossed, undone: response.undone },
      debate: null,
    };
  }
  const debate = applyCount(
    {
      count: current.count,
      threshold: settings.debateThreshold,
      reachedAt: current.debateThresholdReachedAt,
    },
    newCount,
    now,
  );
  return {
    count: newCount,
    responseThresholdReachedAt: response.reachedAt,
    debateThresholdReachedAt: debate.reachedAt,
    response: { crossed: response.crossed, undone: response.undone },
    debate: { crossed: debate.crossed, undone: debate.undone },
  };
}

/**
 * When the official response is due, as an exclusive UTC instant: the response is on time when published before
 * it (`publishedAt < dueAt`). Like `closesAt`, it is the start of the local day after the last allowed day, i.e.
 * the deadline is the END of that local day in `zone`.
 *
 * - `responseDeadline: {days: n, from: 'close'}` (Blue House: 30): last allowed day = the petition's last open
 *   day + n days. The last open day is the local date of `closedAt - 1 ms` (for a normal close at `closesAt`,
 *   that is `lastDay`). Returns null until the petition has closed.
 * - `responseDeadline: {days: n, from: 'threshold'}` (UK: 21): last allowed day = local date of
 *   `thresholdReachedAt` + n days (runs from the crossing, even while the petition is still open).
 * - `responseDeadline: null` (국회, We the People): null, no fixed deadline.
 *
 * In every case, null when the response threshold has not been reached (`thresholdReachedAt === null`): no
 * response is due.
 *
 * @param settings effective settings (`responseDeadline`)
 * @param petition.closedAt UTC instant the petition closed, or null while open
 * @param petition.thresholdReachedAt UTC instant the response threshold was reached, or null
 * @param zone the profile's IANA time zone
 * @throws DomainError('invalid_setting') for an unknown zone
 */
export function responseDueAt(
  settings: Pick<PolicySettings, 'responseDeadline'>,
  petition: { readonly closedAt: Date | null; readonly thresholdReachedAt: Date | null },
  zone: string,
): Date | null {
  const deadline = settings.responseDeadline;
  if (deadline === null || petition.thresholdReachedAt === null) return null;
  let anchor: LocalDate;
  if (deadline.from === 'close') {
    if (petition.closedAt === null) return null;
    anchor = localDate(new Date(petition.closedAt.getTime() - 1), zone);
  } else {
    anchor = localDate(petition.thresholdReachedAt, zone);
  }
  return closesAtForLastDay(addToLocalDate(anchor, { days: deadline.days }), zone);
}
