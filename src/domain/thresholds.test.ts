import { describe, expect, it } from 'vitest';
import { effectiveSettings } from './policy-profiles.js';
import { applyCount, applyCountToThresholds, responseDueAt } from './thresholds.js';

const t1 = new Date('2020-03-20T01:00:00Z');
const t2 = new Date('2020-03-21T01:00:00Z');
const t3 = new Date('2020-03-22T01:00:00Z');
const t4 = new Date('2020-03-23T01:00:00Z');

describe('applyCount (Blue House response threshold, 200,000)', () => {
  const start = { count: 0, threshold: 200_000, reachedAt: null };

  it('199,999 does not reach the threshold', () => {
    expect(applyCount(start, 199_999, t1)).toEqual({
      count: 199_999,
      threshold: 200_000,
      reachedAt: null,
      crossed: false,
      undone: false,
    });
  });

  it('200,000 reaches it and records now', () => {
    const r = applyCount({ ...start, count: 199_999 }, 200_000, t1);
    expect(r.reachedAt).toEqual(t1);
    expect(r.crossed).toBe(true);
    expect(r.undone).toBe(false);
  });

  it('records a jump past the threshold (150,000 → 2,715,626) once, at that now', () => {
    const crossed = applyCount({ ...start, count: 150_000 }, 2_715_626, t1);
    expect(crossed).toMatchObject({ count: 2_715_626, reachedAt: t1, crossed: true, undone: false });

    const later = applyCount(crossed, 2_800_000, t2);
    expect(later.reachedAt).toEqual(t1);
    expect(later.crossed).toBe(false);

    const same = applyCount(later, 2_800_000, t3);
    expect(same.reachedAt).toEqual(t1);
    expect(same.crossed).toBe(false);
  });

  it('undoes the crossing when the count falls to 199,999, and records a new moment on recrossing', () => {
    const crossed = applyCount(start, 200_000, t1);
    const fell = applyCount(crossed, 199_999, t2);
    expect(fell).toMatchObject({ reachedAt: null, crossed: false, undone: true });

    const stillBelow = applyCount(fell, 199_000, t3);
    expect(stillBelow).toMatchObject({ reachedAt: null, crossed: false, undone: false });

    const again = applyCount(stillBelow, 200_001, t4);
    expect(again).toMatchObject({ reachedAt: t4, crossed: true, undone: false });
  });

  it('records a missed crossing when the stored moment is empty but the count is already above', () => {
    const r = applyCount({ count: 300_000, threshold: 200_000, reachedAt: null }, 300_000, t2);
    expect(r).toMatchObject({ reachedAt: t2, crossed: true });
  });

  it('refuses counts that are not whole numbers ≥ 0', () => {
    expect(() => applyCount(start, -1, t1)).toThrow(RangeError);
    expect(() => applyCount(start, 1.5, t1)).toThrow(RangeError);
    expect(() => applyCount(start, Number.NaN, t1)).toThrow(RangeError);
    expect(() => applyCount({ ...start, threshold: 0 }, 1, t1)).toThrow(RangeError);
  });
});

describe('applyCountToThresholds', () => {
  const uk = effectiveSettings('uk', null);
  const none = { count: 0, responseThresholdReachedAt: null, debateThresholdReachedAt: null };

  it('tracks the UK debate threshold separately from the response threshold', () => {
    const a = applyCountToThresholds(uk, none, 10_000, t1);
    expect(a).toMatchObject({
      count: 10_000,
      responseThresholdReachedAt: t1,
      debateThresholdReachedAt: null,
      response: { crossed: true, undone: false },
      debate: { crossed: false, undone: false },
    });

    const b = applyCountToThresholds(uk, a, 100_000, t2);
    expect(b).toMatchObject({
      responseThresholdReachedAt: t1,
      debateThresholdReachedAt: t2,
      response: { crossed: false, undone: false },
      debate: { crossed: true, undone: false },
    });

    const c = applyCountToThresholds(uk, b, 99_999, t3);
    expect(c).toMatchObject({
      responseThresholdReachedAt: t1,
      debateThresholdReachedAt: null,
      response: { crossed: false, undone: false },
      debate: { crossed: false, undone: true },
    });
  });

  it('crosses both at once on a big jump, each recorded at that now', () => {
    const r = applyCountToThresholds(uk, { ...none, count: 9_000 }, 150_000, t1);
    expect(r.responseThresholdReachedAt).toEqual(t1);
    expect(r.debateThresholdReachedAt).toEqual(t1);
    expect(r.response.crossed && r.debate?.crossed).toBe(true);
  });

  it('reports no debate for a profile without a debate threshold and leaves its moment alone', () => {
    const cwd = effectiveSettings('cheongwadae', null);
    const r = applyCountToThresholds(cwd, none, 250_000, t1);
    expect(r.debate).toBeNull();
    expect(r.debateThresholdReachedAt).toBeNull();
    expect(r.responseThresholdReachedAt).toEqual(t1);
    const notReached = applyCountToThresholds(cwd, none, 100_000, t1);
    expect(notReached.responseThresholdReachedAt).toBeNull();
  });

  it('uses overridden thresholds', () => {
    const lower = effectiveSettings('cheongwadae', { responseThreshold: 100_000 });
    expect(applyCountToThresholds(lower, none, 100_000, t1).response.crossed).toBe(true);
  });
});

describe('responseDueAt', () => {
  const cwd = effectiveSettings('cheongwadae', null);
  const uk = effectiveSettings('uk', null);
  const assembly = effectiveSettings('assembly', null);
  // Opened 2020-03-18 in Seoul, last day 2020-04-17, closesAt = 2020-04-18 00:00 KST.
  const cwdClosedAt = new Date('2020-04-17T15:00:00Z');

  it('Blue House: due by the end of the 30th day after the last day (2020-04-17 → 2020-05-17 KST)', () => {
    expect(responseDueAt(cwd, { closedAt: cwdClosedAt, thresholdReachedAt: t1 }, 'Asia/Seoul')).toEqual(
      new Date('2020-05-17T15:00:00Z'),
    );
  });

  it('Blue House: counts from the day an early close happened', () => {
    const closedAtNoonKst = new Date('2020-04-10T03:00:00Z');
    expect(responseDueAt(cwd, { closedAt: closedAtNoonKst, thresholdReachedAt: t1 }, 'Asia/Seoul')).toEqual(
      new Date('2020-05-10T15:00:00Z'),
    );
  });

  it('Blue House: nothing is due while the petition is open or when the threshold was not reached', () => {
    expect(responseDueAt(cwd, { closedAt: null, thresholdReachedAt: t1 }, 'Asia/Seoul')).toBeNull();
    expect(responseDueAt(cwd, { closedAt: cwdClosedAt, thresholdReachedAt: null }, 'Asia/Seoul')).toBeNull();
  });

  it('UK: due by the end of the 21st day after the crossing, even while open (across the BST change)', () => {
    // Revoke Article 50 (241584) reached 10,000 on 2019-03-18 (GMT); 21 days later is 2019-04-08 (BST).
    const crossed = new Date('2019-03-18T13:26:30.257Z');
    expect(responseDueAt(uk, { closedAt: null, thresholdReachedAt: crossed }, 'Europe/London')).toEqual(
      new Date('2019-04-08T23:00:00Z'),
    );
  });

  it('UK: the crossing day is the local day (23:30 UTC in summer is the next day in London)', () => {
    const crossed = new Date('2019-06-01T23:30:00Z'); // 2019-06-02 00:30 BST
    expect(responseDueAt(uk, { closedAt: null, thresholdReachedAt: crossed }, 'Europe/London')).toEqual(
      new Date('2019-06-23T23:00:00Z'),
    );
  });

  it('National Assembly: no fixed deadline', () => {
    expect(
      responseDueAt(assembly, { closedAt: cwdClosedAt, thresholdReachedAt: t1 }, 'Asia/Seoul'),
    ).toBeNull();
  });
});
