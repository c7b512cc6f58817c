/**
 * Agreement periods and closing: when a petition's period ends, and closing it.
 *
 * The rule, shared by every policy profile:
 *  - a petition opened at instant `openedAt` (UTC) in time zone Z with duration D has
 *    **openedOn** = the local date of `openedAt` in Z, and
 *    **lastDay** = openedOn + D, by calendar arithmetic on local dates (days add calendar days; months add calendar
 *    months and clamp to the end of a shorter month: 2019-08-31 + 6 months = 2020-02-29, 2021-08-31 + 6 months =
 *    2022-02-28, 2020-01-31 + 1 month = 2020-02-29);
 *  - it is open until the END of lastDay in Z. We store that as the exclusive instant **closesAt** = the start of
 *    the local day after lastDay (the first instant at which it is no longer open). A petition is open while
 *    `now < closesAt`.
 *
 * Sources: the Blue House board printed periods like '2020-03-18 ~ 2020-04-17' (opened 03-18, 30 days, open through
 * 04-17); the 국회 dataset likewise '2024-06-20 ~ 2024-07-20'; alphagov/e-petitions closes at
 * `(open_at + petition_duration.months).end_of_day`. Counting from the local date (not the instant) means a
 * petition opened at 23:59 and one opened at 00:01 the same day close together.
 *
 * Daylight saving: because closesAt is "start of the next local day", a deadline on a DST-change day still closes at
 * the end of that local day, however long it is (23 or 25 hours in Europe/London and America/New_York). If a zone
 * has no local midnight on the day after lastDay (e.g. America/Santiago in some years moves clocks from 24:00 to
 * 01:00), luxon's `startOf('day')` resolves the non-existent 00:00 to the first instant that exists on that day
 * (01:00), which is exactly the end of lastDay.
 *
 * Dates are passed around as `LocalDate` strings 'YYYY-MM-DD' (no zone; meaningful only together with the
 * profile's zone); instants as JS `Date` (UTC). Nothing here reads the clock: `now` is always an argument.
 */
import { DateTime, Info } from 'luxon';
import { DomainError } from './errors.js';
import type { PetitionState } from './petition-states.js';

/** A calendar date 'YYYY-MM-DD' in some zone that the caller knows (the policy profile's time zone). */
export type LocalDate = string;

/**
 * A length of time on the calendar: whole days or whole months (the UK runs for 6 months, the Blue House for 30
 * days). Exactly one key. Integers ≥ 1.
 */
export type Duration = { readonly days: number } | { readonly months: number };

/** The agreement period of a petition, as computed by `agreementPeriod`. */
export interface AgreementPeriod {
  /** Local date (in the profile zone) on which the petition opened. */
  readonly openedOn: LocalDate;
  /** Local date of the last day on which agreements are accepted (inclusive). */
  readonly lastDay: LocalDate;
  /** Exclusive end, UTC instant: start of the local day after `lastDay`. Open while `now < closesAt`. */
  readonly closesAt: Date;
}

const LOCAL_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Zones already checked: Info.isValidIANAZone builds an Intl.DateTimeFormat each call (~0.2 ms). */
const knownZones = new Set<string>();

function checkZone(zone: string): void {
  if (knownZones.has(zone)) return;
  if (Info.isValidIANAZone(zone)) {
    knownZones.add(zone);
    return;
  }
  throw new DomainError('invalid_setting', `Unknown time zone "${zone}".`, { key: 'timeZone', value: zone });
}

function checkInstant(instant: Date, name: string): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new DomainError('invalid_parameter', `${name} is not a valid instant.`, { parameter: name });
  }
}

function parseLocalDate(date: LocalDate, zone: string, name: string): DateTime {
  const dt = LOCAL_DATE_RE.test(date) ? DateTime.fromISO(date, { zone }) : null;
  if (dt === null || !dt.isValid) {
    throw new DomainError(
      'invalid_parameter',
      `${name} must be a calendar date 'YYYY-MM-DD', got "${date}".`,
      {
        parameter: name,
        value: date,
      },
    );
  }
  return dt;
}

function checkDuration(duration: Duration): void {
  const n = 'days' in duration ? duration.days : duration.months;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new DomainError(
      'invalid_setting',
      'A duration must be a whole number of days or months, at least 1.',
      {
        value: duration,
      },
    );
  }
}

/**
 * The calendar date of an instant in a zone.
 * @param instant a UTC instant
 * @param zone an IANA zone ('Asia/Seoul')
 * @returns 'YYYY-MM-DD' local to `zone`
 * @throws DomainError('invalid_setting') for an unknown zone; DomainError('invalid_parameter') for an invalid Date
 */
export function localDate(instant: Date, zone: string): LocalDate {
  checkZone(zone);
  checkInstant(instant, 'instant');
  return DateTime.fromJSDate(instant, { zone }).toISODate() as LocalDate;
}

/**
 * Calendar arithmetic on a local date (no zone involved): days add calendar days; months add calendar months and
 * clamp the day to the end of a shorter month (2019-08-31 + {months: 6} = 2020-02-29).
 * @throws DomainError('invalid_parameter') for a malformed date; DomainError('invalid_setting') for a duration
 *   that is not a whole number ≥ 1
 */
export function addToLocalDate(date: LocalDate, duration: Duration): LocalDate {
  checkDuration(duration);
  return parseLocalDate(date, 'UTC', 'date').plus(duration).toISODate() as LocalDate;
}

/**
 * The exclusive closing instant for a petition whose last day is `lastDay` in `zone`: the first instant of the
 * following local day (normally 00:00 local; on a day without a local midnight, the first instant that exists).
 * @param lastDay 'YYYY-MM-DD', last day agreements are accepted (inclusive)
 * @param zone IANA zone of the policy profile
 * @returns UTC instant; the petition is open while `now < closesAt`
 * @throws DomainError('invalid_parameter') for a malformed date; DomainError('invalid_setting') for an unknown zone
 */
export function closesAtForLastDay(lastDay: LocalDate, zone: string): Date {
  checkZone(zone);
  const next = parseLocalDate(lastDay, 'UTC', 'lastDay').plus({ days: 1 }).toISODate() as LocalDate;
  return startOfLocalDay(next, zone);
}

/**
 * The first instant of a local day: normally 00:00 local time in `zone`; on a day without a local midnight (a DST
 * change at 00:00), the first instant that exists on that day, as luxon's `startOf('day')` resolves it.
 * Used e.g. for an archived petition whose source gives only its opening date ('YYYY-MM-DD').
 * @param date 'YYYY-MM-DD' local to `zone`
 * @param zone IANA zone
 * @returns UTC instant
 * @throws DomainError('invalid_parameter') for a malformed date; DomainError('invalid_setting') for an unknown zone
 */
export function startOfLocalDay(date: LocalDate, zone: string): Date {
  checkZone(zone);
  return parseLocalDate(date, zone, 'date').startOf('day').toJSDate();
}

/**
 * The agreement period of a petition opened at `openedAt` for `duration` in `zone` (rule in the module comment).
 * @param openedAt UTC instant the petition was published (state became `open`)
 * @param duration the profile's `agreementPeriod` (e.g. {days: 30}, {months: 6})
 * @param zone the profile's IANA time zone
 * @throws DomainError('invalid_setting') for an unknown zone or a bad duration; DomainError('invalid_parameter')
 *   for an invalid Date
 */
export function agreementPeriod(openedAt: Date, duration: Duration, zone: string): AgreementPeriod {
  const openedOn = localDate(openedAt, zone);
  const lastDay = addToLocalDate(openedOn, duration);
  return { openedOn, lastDay, closesAt: closesAtForLastDay(lastDay, zone) };
}

/** True while agreements are accepted: `now < closesAt` (both UTC instants; closesAt is exclusive). */
export function isOpenAt(closesAt: Date, now: Date): boolean {
  return now.getTime() < closesAt.getTime();
}

/** The changes closing a petition applies (state and the instant it closed). */
export interface ClosePetitionChanges {
  readonly state: 'closed';
  /** UTC instant; always the deadline `closesAt`, never the time the closing job ran. */
  readonly closedAt: Date;
}

/**
 * Decides whether the closing job should close a petition now.
 *
 * Closes only a petition whose state is `open`, that has a deadline, and whose deadline has come
 * (`now >= closesAt`). The recorded `closedAt` is the deadline itself, whatever time the job actually runs (a job
 * that runs 3 days late still records the deadline), so the public record says when the period really ended.
 * A petition already closed (state `closed`, or `closedAt` already set) gives null: closing twice is a no-op.
 * Hidden petitions are not closed here; see `stateAfterUnhiding` in petition-states.ts.
 *
 * @param petition.state current lifecycle state
 * @param petition.closesAt exclusive deadline (UTC), or null if the petition never opened
 * @param petition.closedAt when it was closed (UTC), or null
 * @param now current instant (UTC), supplied by the caller
 * @returns the changes to apply, or null when there is nothing to do
 */
export function closePetition(
  petition: { readonly state: PetitionState; readonly closesAt: Date | null; readonly closedAt: Date | null },
  now: Date,
): ClosePetitionChanges | null {
  if (petition.state !== 'open' || petition.closedAt !== null || petition.closesAt === null) return null;
  if (isOpenAt(petition.closesAt, now)) return null;
  return { state: 'closed', closedAt: new Date(petition.closesAt.getTime()) };
}
