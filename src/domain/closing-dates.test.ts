import { describe, expect, it } from 'vitest';
import {
  addToLocalDate,
  agreementPeriod,
  closePetition,
  closesAtForLastDay,
  type Duration,
  isOpenAt,
  localDate,
  startOfLocalDay,
} from './closing-dates.js';
import { DomainError } from './errors.js';

// ---------------------------------------------------------------------------------------------------------------
// Independent reference helpers: plain UTC date arithmetic on Y-M-D parts and Intl wall clocks (no luxon).
// ---------------------------------------------------------------------------------------------------------------

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function ymdParts(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) throw new Error(`bad date ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function utcYmd(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Expected last day: days by Date.UTC overflow; months by target month with the day clamped to its length. */
function expectedLastDay(openedOn: string, duration: Duration): string {
  const [y, m, d] = ymdParts(openedOn);
  if ('days' in duration) return utcYmd(new Date(Date.UTC(y, m - 1, d + duration.days)));
  const total = m - 1 + duration.months;
  const ty = y + Math.floor(total / 12);
  const tm = total % 12;
  const daysInTarget = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return utcYmd(new Date(Date.UTC(ty, tm, Math.min(d, daysInTarget))));
}

function nextDay(date: string): string {
  const [y, m, d] = ymdParts(date);
  return utcYmd(new Date(Date.UTC(y, m - 1, d + 1)));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Wall-clock date and time of an instant in a zone, via Intl: { date: 'YYYY-MM-DD', time: 'HH:MM:SS.mmm' }. */
function wall(instant: Date, zone: string): { date: string; time: string } {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(instant)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}.${parts.fractionalSecond}`,
  };
}

/** Reads a wall clock back as if it were UTC, in ms. */
function wallAsUtcMs(w: { date: string; time: string }): number {
  const [y, m, d] = ymdParts(w.date);
  const [hh, mm, rest] = w.time.split(':');
  return Date.UTC(y, m - 1, d, Number(hh), Number(mm), 0) + Math.round(Number(rest) * 1000);
}

/**
 * The instant showing `date` `time` on the wall clock of `zone`: tries the zone's offset at nearby instants, then
 * falls back to searching every offset −14h…+14h in 15-minute steps.
 */
function instantAtLocal(date: string, time: string, zone: string): Date {
  const asUtc = wallAsUtcMs({ date, time });
  for (const probe of [asUtc, asUtc - 86_400_000, asUtc + 86_400_000]) {
    const offset = wallAsUtcMs(wall(new Date(probe), zone)) - probe;
    const candidate = new Date(asUtc - offset);
    const w = wall(candidate, zone);
    if (w.date === date && w.time === time) return candidate;
  }
  for (let q = -56; q <= 56; q++) {
    const candidate = new Date(asUtc - q * 15 * 60_000);
    const w = wall(candidate, zone);
    if (w.date === date && w.time === time) return candidate;
  }
  throw new Error(`${date} ${time} does not exist in ${zone}`);
}

function daysOfYear(year: number): string[] {
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const d = new Date(Date.UTC(year, 0, 1 + i));
    if (d.getUTCFullYear() !== year) return out;
    out.push(utcYmd(d));
  }
}

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

// ---------------------------------------------------------------------------------------------------------------

describe('reference helpers (sanity)', () => {
  it('compute the expected last days by hand', () => {
    expect(expectedLastDay('2019-08-31', { months: 6 })).toBe('2020-02-29');
    expect(expectedLastDay('2020-03-18', { days: 30 })).toBe('2020-04-17');
    expect(expectedLastDay('2020-12-15', { months: 1 })).toBe('2021-01-15');
    expect(daysOfYear(2020)).toHaveLength(366);
    expect(daysOfYear(2021)).toHaveLength(365);
    expect(wall(new Date('2020-03-18T15:00:00Z'), 'Asia/Seoul')).toEqual({
      date: '2020-03-19',
      time: '00:00:00.000',
    });
  });
});

const ZONES = ['Asia/Seoul', 'Europe/London', 'America/New_York'] as const;
const YEARS = [2020, 2021] as const;
const DURATIONS: readonly Duration[] = [{ days: 30 }, { months: 6 }];
const OPENING_TIMES = ['00:00:00.000', '12:00:00.000', '23:59:59.999'] as const;

describe('agreementPeriod on every day of a leap and a non-leap year', () => {
  for (const zone of ZONES) {
    for (const year of YEARS) {
      for (const duration of DURATIONS) {
        const label = 'days' in duration ? `${duration.days} days` : `${duration.months} months`;
        it(`${zone}, ${year}, ${label}`, () => {
          const problems: string[] = [];
          for (const day of daysOfYear(year)) {
            const lastDay = expectedLastDay(day, duration);
            for (const time of OPENING_TIMES) {
              const openedAt = instantAtLocal(day, time, zone);
              const p = agreementPeriod(openedAt, duration, zone);
              const where = `opened ${day} ${time}`;
              if (p.openedOn !== day) problems.push(`${where}: openedOn ${p.openedOn}`);
              if (p.lastDay !== lastDay) problems.push(`${where}: lastDay ${p.lastDay}, expected ${lastDay}`);
              const atClose = wall(p.closesAt, zone);
              if (atClose.date !== nextDay(lastDay) || atClose.time !== '00:00:00.000') {
                problems.push(`${where}: closesAt wall ${atClose.date} ${atClose.time}`);
              }
              const justBefore = new Date(p.closesAt.getTime() - 1);
              const lastMoment = wall(justBefore, zone);
              if (lastMoment.date !== lastDay || lastMoment.time !== '23:59:59.999') {
                problems.push(`${where}: closesAt-1ms wall ${lastMoment.date} ${lastMoment.time}`);
              }
              if (!isOpenAt(p.closesAt, justBefore)) problems.push(`${where}: not open at closesAt-1ms`);
              if (isOpenAt(p.closesAt, p.closesAt)) problems.push(`${where}: still open at closesAt`);
            }
          }
          expect(problems).toEqual([]);
        });
      }
    }
  }
});

describe('calendar edge cases', () => {
  it.each([
    ['2019-08-31', { months: 6 }, '2020-02-29'],
    ['2021-08-31', { months: 6 }, '2022-02-28'],
    ['2020-01-31', { months: 1 }, '2020-02-29'],
    ['2021-01-31', { months: 1 }, '2021-02-28'],
    ['2020-02-29', { months: 6 }, '2020-08-29'],
    ['2020-02-29', { months: 12 }, '2021-02-28'],
    ['2020-02-29', { days: 30 }, '2020-03-30'],
    ['2020-01-30', { days: 30 }, '2020-02-29'],
    ['2021-01-30', { days: 30 }, '2021-03-01'],
    ['2020-12-15', { days: 30 }, '2021-01-14'],
    ['2020-03-18', { days: 30 }, '2020-04-17'], // Blue House board: '2020-03-18 ~ 2020-04-17'
    ['2020-01-02', { days: 30 }, '2020-02-01'], // korkeep 584274: begin 2020-01-02, end 2020-02-01
    ['2024-06-20', { days: 30 }, '2024-07-20'], // 국회 dataset: '2024-06-20 ~ 2024-07-20'
  ] as [string, Duration, string][])('%s + %o → last day %s', (openedOn, duration, lastDay) => {
    expect(addToLocalDate(openedOn, duration)).toBe(lastDay);
  });

  it('counts from the local date in Seoul, not the UTC date', () => {
    // 2020-03-18 23:59 KST is 14:59 UTC the same day; 2020-03-19 00:30 KST is 15:30 UTC on the 18th.
    const late = agreementPeriod(new Date('2020-03-18T14:59:00Z'), { days: 30 }, 'Asia/Seoul');
    expect(late).toEqual({
      openedOn: '2020-03-18',
      lastDay: '2020-04-17',
      closesAt: new Date('2020-04-17T15:00:00Z'),
    });
    const nextMorning = agreementPeriod(new Date('2020-03-18T15:30:00Z'), { days: 30 }, 'Asia/Seoul');
    expect(nextMorning.openedOn).toBe('2020-03-19');
    expect(nextMorning.lastDay).toBe('2020-04-18');
  });

  it('closes a 6-month UK petition opened on 31 August at the end of 29 February', () => {
    const p = agreementPeriod(new Date('2019-08-31T09:00:00Z'), { months: 6 }, 'Europe/London');
    expect(p.lastDay).toBe('2020-02-29');
    expect(p.closesAt).toEqual(new Date('2020-03-01T00:00:00Z'));
  });
});

describe('daylight saving', () => {
  const hours = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 3_600_000;

  it('Europe/London: the spring-forward day is 23 hours and the autumn day 25, each closing at its end', () => {
    expect(closesAtForLastDay('2020-03-28', 'Europe/London')).toEqual(new Date('2020-03-29T00:00:00Z'));
    expect(closesAtForLastDay('2020-03-29', 'Europe/London')).toEqual(new Date('2020-03-29T23:00:00Z'));
    expect(
      hours(
        closesAtForLastDay('2020-03-28', 'Europe/London'),
        closesAtForLastDay('2020-03-29', 'Europe/London'),
      ),
    ).toBe(23);
    expect(closesAtForLastDay('2020-10-24', 'Europe/London')).toEqual(new Date('2020-10-24T23:00:00Z'));
    expect(closesAtForLastDay('2020-10-25', 'Europe/London')).toEqual(new Date('2020-10-26T00:00:00Z'));
    expect(
      hours(
        closesAtForLastDay('2020-10-24', 'Europe/London'),
        closesAtForLastDay('2020-10-25', 'Europe/London'),
      ),
    ).toBe(25);
  });

  it('America/New_York: 2020-03-08 is 23 hours and 2020-11-01 is 25 hours', () => {
    expect(closesAtForLastDay('2020-03-07', 'America/New_York')).toEqual(new Date('2020-03-08T05:00:00Z'));
    expect(closesAtForLastDay('2020-03-08', 'America/New_York')).toEqual(new Date('2020-03-09T04:00:00Z'));
    expect(closesAtForLastDay('2020-10-31', 'America/New_York')).toEqual(new Date('2020-11-01T04:00:00Z'));
    expect(closesAtForLastDay('2020-11-01', 'America/New_York')).toEqual(new Date('2020-11-02T05:00:00Z'));
  });

  it('a petition whose last day is the DST change is open through the last millisecond of that local day', () => {
    const p = agreementPeriod(new Date('2020-02-07T15:00:00Z'), { days: 30 }, 'America/New_York');
    expect(p.lastDay).toBe('2020-03-08');
    expect(isOpenAt(p.closesAt, new Date('2020-03-09T03:59:59.999Z'))).toBe(true);
    expect(isOpenAt(p.closesAt, new Date('2020-03-09T04:00:00Z'))).toBe(false);
    const opened = agreementPeriod(new Date('2019-09-29T12:00:00Z'), { months: 6 }, 'Europe/London');
    expect(opened.lastDay).toBe('2020-03-29');
    expect(isOpenAt(opened.closesAt, new Date('2020-03-29T22:59:59.999Z'))).toBe(true);
    expect(isOpenAt(opened.closesAt, new Date('2020-03-29T23:00:00Z'))).toBe(false);
  });

  it('in a zone with no local midnight on the next day, closes at the first instant that exists (America/Santiago)', () => {
    // Chile moved clocks from 2022-09-11 00:00 to 01:00 (-04:00 → -03:00): there was no midnight that day.
    const closesAt = closesAtForLastDay('2022-09-10', 'America/Santiago');
    expect(closesAt).toEqual(new Date('2022-09-11T04:00:00Z'));
    expect(wall(closesAt, 'America/Santiago')).toEqual({ date: '2022-09-11', time: '01:00:00.000' });
    expect(wall(new Date(closesAt.getTime() - 1), 'America/Santiago')).toEqual({
      date: '2022-09-10',
      time: '23:59:59.999',
    });
    expect(startOfLocalDay('2022-09-11', 'America/Santiago')).toEqual(closesAt);
  });
});

describe('localDate and startOfLocalDay', () => {
  it('give the calendar date in the zone and the first instant of a local day', () => {
    const instant = new Date('2020-03-18T15:30:00Z');
    expect(localDate(instant, 'Asia/Seoul')).toBe('2020-03-19');
    expect(localDate(instant, 'Europe/London')).toBe('2020-03-18');
    expect(localDate(instant, 'America/New_York')).toBe('2020-03-18');
    expect(startOfLocalDay('2020-03-19', 'Asia/Seoul')).toEqual(new Date('2020-03-18T15:00:00Z'));
    expect(startOfLocalDay('2020-07-01', 'Europe/London')).toEqual(new Date('2020-06-30T23:00:00Z'));
  });

  it('refuse unknown zones, malformed dates and bad durations', () => {
    expect(domainError(() => localDate(new Date(0), 'Mars/Olympus')).code).toBe('invalid_setting');
    expect(domainError(() => localDate(new Date(Number.NaN), 'Asia/Seoul')).code).toBe('invalid_parameter');
    expect(domainError(() => closesAtForLastDay('2020-02-30', 'Asia/Seoul')).code).toBe('invalid_parameter');
    expect(domainError(() => closesAtForLastDay('2020-2-3', 'Asia/Seoul')).code).toBe('invalid_parameter');
    expect(domainError(() => addToLocalDate('2020-01-01', { days: 0 })).code).toBe('invalid_setting');
    expect(domainError(() => addToLocalDate('2020-01-01', { months: 1.5 })).code).toBe('invalid_setting');
  });
});

describe('closePetition', () => {
  const closesAt = new Date('2020-04-17T15:00:00Z'); // end of 2020-04-17 in Seoul

  it('does not close before the deadline', () => {
    const petition = { state: 'open' as const, closesAt, closedAt: null };
    expect(closePetition(petition, new Date(closesAt.getTime() - 1))).toBeNull();
  });

  it('closes at the deadline, recording the deadline', () => {
    const petition = { state: 'open' as const, closesAt, closedAt: null };
    expect(closePetition(petition, closesAt)).toEqual({ state: 'closed', closedAt: closesAt });
  });

  it('records the deadline, not the run time, when the job runs 3 days late', () => {
    const petition = { state: 'open' as const, closesAt, closedAt: null };
    const threeDaysLate = new Date(closesAt.getTime() + 3 * 86_400_000 + 12_345);
    const changes = closePetition(petition, threeDaysLate);
    expect(changes?.state).toBe('closed');
    expect(changes?.closedAt.getTime()).toBe(closesAt.getTime());
  });

  it('is a no-op on a petition already closed', () => {
    const now = new Date(closesAt.getTime() + 86_400_000);
    const first = closePetition({ state: 'open', closesAt, closedAt: null }, now);
    expect(first).not.toBeNull();
    expect(closePetition({ state: 'closed', closesAt, closedAt: first?.closedAt ?? null }, now)).toBeNull();
    expect(closePetition({ state: 'open', closesAt, closedAt: closesAt }, now)).toBeNull();
  });

  it('leaves petitions that are not open alone', () => {
    const late = new Date(closesAt.getTime() + 86_400_000);
    for (const state of [
      'draft',
      'collecting_pre_agreements',
      'in_review',
      'rejected',
      'hidden',
      'removed',
    ] as const) {
      expect(closePetition({ state, closesAt, closedAt: null }, late), state).toBeNull();
    }
    expect(closePetition({ state: 'open', closesAt: null, closedAt: null }, late)).toBeNull();
  });
});
