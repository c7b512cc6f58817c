import { describe, expect, it } from 'vitest';
import {
  closeDecision,
  lapseCandidateCutoff,
  lapseDecision,
  overdueDecision,
  preAgreementWindowEnd,
  reviewOverdueDecision,
} from './lifecycle.js';
import { effectiveSettings } from './policy-profiles.js';

const blueHouse = effectiveSettings('cheongwadae', {});
const assembly = effectiveSettings('assembly', {});
const uk = effectiveSettings('uk', {});
const at = (iso: string) => new Date(iso);

describe('closing', () => {
  const open = {
    state: 'open' as const,
    closesAt: at('2026-12-20T15:00:00Z'),
    closedAt: null,
    responseState: 'none' as const,
    responseThresholdReachedAt: null,
  };
  it('closes at the deadline, never before, and records the deadline', () => {
    expect(closeDecision(open, blueHouse, 'Asia/Seoul', at('2026-12-20T14:59:59.999Z'))).toBeNull();
    expect(closeDecision(open, blueHouse, 'Asia/Seoul', at('2027-02-01T00:00:00Z'))).toEqual({
      state: 'closed',
      closedAt: at('2026-12-20T15:00:00Z'),
    });
  });
  it('fixes a Blue House answer deadline 30 days after the last day, and leaves a UK one (from the crossing)', () => {
    const owed = {
      ...open,
      responseState: 'awaiting' as const,
      responseThresholdReachedAt: at('2026-12-01T00:00:00Z'),
    };
    expect(closeDecision(owed, blueHouse, 'Asia/Seoul', at('2026-12-21T00:00:00Z'))?.responseDueAt).toEqual(
      at('2027-01-19T15:00:00Z'),
    );
    expect(closeDecision(owed, uk, 'Europe/London', at('2026-12-21T00:00:00Z'))).not.toHaveProperty(
      'responseDueAt',
    );
  });
  it('closes nothing but open petitions', () => {
    for (const state of ['closed', 'hidden', 'in_review', 'removed'] as const)
      expect(
        closeDecision({ ...open, state }, blueHouse, 'Asia/Seoul', at('2027-01-01T00:00:00Z')),
      ).toBeNull();
  });
});

describe('the pre-agreement window', () => {
  it('ends at the end of the 30th local day after collection started (Seoul)', () => {
    expect(preAgreementWindowEnd(at('2026-11-01T14:59:00Z'), assembly, 'Asia/Seoul')).toEqual(
      at('2026-12-01T15:00:00Z'),
    );
    // 15:00Z is already 11-02 in Seoul: the window runs a day later
    expect(preAgreementWindowEnd(at('2026-11-01T15:00:00Z'), assembly, 'Asia/Seoul')).toEqual(
      at('2026-12-02T15:00:00Z'),
    );
    expect(preAgreementWindowEnd(at('2026-11-01T00:00:00Z'), uk, 'Europe/London')).toBeNull();
  });
  it('lapses only a short petition whose window ended', () => {
    const p = {
      state: 'collecting_pre_agreements' as const,
      collectingSince: at('2026-11-01T03:00:00Z'),
      count: 99,
    };
    expect(lapseDecision(p, assembly, 'Asia/Seoul', at('2026-12-01T14:59:59.999Z'))).toBeNull();
    expect(lapseDecision(p, assembly, 'Asia/Seoul', at('2026-12-01T15:00:00Z'))).toEqual({
      state: 'lapsed',
      lapsedAt: at('2026-12-01T15:00:00Z'),
    });
    expect(
      lapseDecision({ ...p, count: 100 }, assembly, 'Asia/Seoul', at('2027-01-01T00:00:00Z')),
    ).toBeNull();
    expect(
      lapseDecision({ ...p, state: 'in_review' }, assembly, 'Asia/Seoul', at('2027-01-01T00:00:00Z')),
    ).toBeNull();
  });
  it('picks candidates that include every petition that can have lapsed', () => {
    const now = at('2026-12-01T15:00:00Z');
    const cutoff = lapseCandidateCutoff(assembly, now);
    expect(cutoff).not.toBeNull();
    // the latest start that has lapsed by now (2026-11-01 in Seoul) is before the cutoff
    expect(at('2026-11-01T14:59:59Z').getTime()).toBeLessThanOrEqual(cutoff?.getTime() ?? 0);
    expect(lapseCandidateCutoff(uk, now)).toBeNull();
  });
});

describe('answers and reviews past their time', () => {
  it('marks an owed answer overdue from its deadline on', () => {
    const p = { responseState: 'awaiting' as const, responseDueAt: at('2027-01-19T15:00:00Z') };
    expect(overdueDecision(p, at('2027-01-19T14:59:59.999Z'))).toBeNull();
    expect(overdueDecision(p, at('2027-01-19T15:00:00Z'))).toBe('overdue');
    expect(overdueDecision({ ...p, responseState: 'answered' }, at('2028-01-01T00:00:00Z'))).toBeNull();
    expect(overdueDecision({ ...p, responseDueAt: null }, at('2028-01-01T00:00:00Z'))).toBeNull();
  });
  it('records the instant a review target was breached, once', () => {
    const p = {
      state: 'in_review' as const,
      reviewStartedAt: at('2026-12-01T00:00:00Z'),
      reviewOverdueAt: null,
    };
    expect(reviewOverdueDecision(p, 10, at('2026-12-10T23:59:59Z'))).toBeNull();
    expect(reviewOverdueDecision(p, 10, at('2026-12-12T00:00:00Z'))).toEqual(at('2026-12-11T00:00:00Z'));
    expect(
      reviewOverdueDecision(
        { ...p, reviewOverdueAt: at('2026-12-11T00:00:00Z') },
        10,
        at('2026-12-12T00:00:00Z'),
      ),
    ).toBeNull();
  });
});
