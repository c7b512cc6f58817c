import { describe, expect, it } from 'vitest';
import { closesAtForLastDay, localDate } from './closing-dates.js';
import { DomainError } from './errors.js';
import { effectiveSettings } from './policy-profiles.js';
import {
  assertDebateTransition,
  DEBATE_STATES,
  DEBATE_TRANSITIONS,
  describeResponseTrack,
  responseTrackAt,
} from './response-track.js';
import { responseDueAt } from './thresholds.js';

const SEOUL = 'Asia/Seoul';
const LONDON = 'Europe/London';
const NEW_YORK = 'America/New_York';
const blueHouse = effectiveSettings('cheongwadae', {});
const uk = effectiveSettings('uk', {});

/** The last allowed local day of a deadline (exclusive instant → the day before it, locally). */
const lastDayOf = (due: Date, zone: string) => localDate(new Date(due.getTime() - 1), zone);

describe('response deadlines per profile', () => {
  const reached = new Date('2020-01-20T03:00:00Z');

  it('Blue House: a petition whose last day is Jan 31 is due by the end of Mar 1 in a leap year, Mar 2 otherwise', () => {
    const leap = responseDueAt(
      blueHouse,
      { closedAt: closesAtForLastDay('2020-01-31', SEOUL), thresholdReachedAt: reached },
      SEOUL,
    );
    expect(leap && lastDayOf(leap, SEOUL)).toBe('2020-03-01');
    expect(leap?.toISOString()).toBe('2020-03-01T15:00:00.000Z'); // 2020-03-02 00:00 KST
    const common = responseDueAt(
      blueHouse,
      { closedAt: closesAtForLastDay('2021-01-31', SEOUL), thresholdReachedAt: reached },
      SEOUL,
    );
    expect(common && lastDayOf(common, SEOUL)).toBe('2021-03-02');
  });

  it('Blue House: Feb 29 2020 + 30 days is Mar 30; Dec 31 + 30 days is Jan 30 of the next year', () => {
    const feb29 = responseDueAt(
      blueHouse,
      { closedAt: closesAtForLastDay('2020-02-29', SEOUL), thresholdReachedAt: reached },
      SEOUL,
    );
    expect(feb29 && lastDayOf(feb29, SEOUL)).toBe('2020-03-30');
    const dec31 = responseDueAt(
      blueHouse,
      { closedAt: closesAtForLastDay('2020-12-31', SEOUL), thresholdReachedAt: reached },
      SEOUL,
    );
    expect(dec31 && lastDayOf(dec31, SEOUL)).toBe('2021-01-30');
    expect(dec31?.toISOString()).toBe('2021-01-30T15:00:00.000Z');
  });

  it('Blue House: nothing is due before the petition closes, or without the threshold', () => {
    expect(responseDueAt(blueHouse, { closedAt: null, thresholdReachedAt: reached }, SEOUL)).toBeNull();
    expect(
      responseDueAt(
        blueHouse,
        { closedAt: closesAtForLastDay('2020-02-29', SEOUL), thresholdReachedAt: null },
        SEOUL,
      ),
    ).toBeNull();
  });

  it('UK: 21 days from the crossing, ending at local midnight across the spring-forward change (London)', () => {
    // crossed on 2026-03-08 (GMT); 21 days later is 2026-03-29, the day clocks go forward to BST
    const due = responseDueAt(
      uk,
      { closedAt: null, thresholdReachedAt: new Date('2026-03-08T23:30:00Z') },
      LONDON,
    );
    expect(due && lastDayOf(due, LONDON)).toBe('2026-03-29');
    expect(due?.toISOString()).toBe('2026-03-29T23:00:00.000Z'); // 2026-03-30 00:00 BST
  });

  it('UK: a crossing late in the evening UTC counts from the local day (London in BST is already the next day)', () => {
    const due = responseDueAt(
      uk,
      { closedAt: null, thresholdReachedAt: new Date('2026-06-10T23:30:00Z') },
      LONDON,
    );
    expect(due && lastDayOf(due, LONDON)).toBe('2026-07-02'); // crossed on 06-11 local
  });

  it('New York across the autumn change (a deadline counted from a crossing, as a 60-day override would)', () => {
    const wtp60 = effectiveSettings('wtp', { responseDeadline: { days: 60, from: 'threshold' } });
    // crossed 2026-09-02 EDT; 60 days later is 2026-11-01, the day clocks go back (a 25-hour day)
    const due = responseDueAt(
      wtp60,
      { closedAt: null, thresholdReachedAt: new Date('2026-09-02T15:00:00Z') },
      NEW_YORK,
    );
    expect(due && lastDayOf(due, NEW_YORK)).toBe('2026-11-01');
    expect(due?.toISOString()).toBe('2026-11-02T05:00:00.000Z'); // 00:00 EST
  });

  it('National Assembly and We the People (as profiled): no fixed deadline', () => {
    for (const code of ['assembly', 'wtp']) {
      expect(
        responseDueAt(
          effectiveSettings(code, {}),
          { closedAt: new Date(), thresholdReachedAt: reached },
          SEOUL,
        ),
      ).toBeNull();
    }
  });
});

describe('response track display', () => {
  // last allowed day 2020-03-30 in Seoul: due at 2020-03-30T15:00Z
  const due = closesAtForLastDay('2020-03-30', SEOUL);
  const awaiting = { responseState: 'awaiting', responseDueAt: due, answeredAt: null };

  it('counts the days left in local calendar days, 0 on the last day', () => {
    const view = responseTrackAt(awaiting, new Date('2020-03-27T16:00:00Z'), SEOUL); // 03-28 01:00 KST
    expect(view).toEqual({ status: 'awaiting', dueAt: due, lastDay: '2020-03-30', daysLeft: 2 });
    expect(describeResponseTrack(view, 'ko')).toBe('답변 기한 2020-03-30 (2일 남음)');
    expect(describeResponseTrack(view, 'en')).toBe('Response due by 2020-03-30 (2 days left)');
    const lastDay = responseTrackAt(awaiting, new Date('2020-03-30T14:59:59Z'), SEOUL);
    expect(describeResponseTrack(lastDay, 'ko')).toBe('답변 기한 2020-03-30 (오늘까지)');
  });

  it('shows an unanswered petition as overdue from the deadline on, with the days past', () => {
    const at = responseTrackAt(awaiting, due, SEOUL);
    expect(at).toMatchObject({ status: 'overdue', daysOverdue: 1 });
    const later = responseTrackAt(awaiting, new Date('2020-04-04T03:00:00Z'), SEOUL);
    expect(later).toMatchObject({ status: 'overdue', lastDay: '2020-03-30', daysOverdue: 5 });
    expect(describeResponseTrack(later, 'ko')).toBe('답변 기한 2020-03-30을 5일 넘겼습니다 (답변 지연)');
    expect(describeResponseTrack(later, 'en')).toBe('Response overdue: due by 2020-03-30, 5 days ago');
  });

  it('counts days over a DST change as calendar days (London, clocks forward)', () => {
    const d = closesAtForLastDay('2026-03-29', LONDON);
    const view = responseTrackAt(
      { responseState: 'awaiting', responseDueAt: d, answeredAt: null },
      new Date('2026-03-28T12:00:00Z'),
      LONDON,
    );
    expect(view).toMatchObject({ status: 'awaiting', daysLeft: 1 });
  });

  it('answered: late only when published after the deadline; no deadline: awaiting without days', () => {
    expect(
      responseTrackAt(
        { responseState: 'answered', responseDueAt: due, answeredAt: new Date('2020-03-20T00:00:00Z') },
        new Date(),
        SEOUL,
      ),
    ).toEqual({ status: 'answered', answeredAt: new Date('2020-03-20T00:00:00Z'), late: false });
    const late = responseTrackAt(
      { responseState: 'answered', responseDueAt: due, answeredAt: due },
      new Date(),
      SEOUL,
    );
    expect(describeResponseTrack(late, 'ko')).toBe('답변 완료 (기한 후 답변)');
    const open = responseTrackAt(
      { responseState: 'awaiting', responseDueAt: null, answeredAt: null },
      new Date(),
      SEOUL,
    );
    expect(describeResponseTrack(open, 'ko')).toBe('답변 기한 없음');
    expect(
      responseTrackAt({ responseState: 'none', responseDueAt: null, answeredAt: null }, new Date(), SEOUL),
    ).toEqual({
      status: 'none',
    });
  });
});

describe('UK debate track', () => {
  it('moves none → awaiting → scheduled → debated, and refuses leaving a final state', () => {
    expect(() => assertDebateTransition('none', 'awaiting')).not.toThrow();
    expect(() => assertDebateTransition('awaiting', 'scheduled')).not.toThrow();
    expect(() => assertDebateTransition('scheduled', 'debated')).not.toThrow();
    expect(() => assertDebateTransition('awaiting', 'not_debated')).not.toThrow();
    for (const final of ['debated', 'not_debated'] as const) {
      expect(DEBATE_TRANSITIONS[final]).toEqual([]);
      for (const to of DEBATE_STATES) {
        expect(() => assertDebateTransition(final, to)).toThrow(DomainError);
      }
    }
    try {
      assertDebateTransition('none', 'debated');
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).code).toBe('invalid_transition');
      expect((e as DomainError).details).toMatchObject({ track: 'debate', from: 'none', to: 'debated' });
    }
  });
});
