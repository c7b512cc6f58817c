import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  ANSWERED_RESPONSE_STATES,
  ARCHIVE_STATES,
  archivedStates,
  assertResponseTransition,
  assertTransition,
  canHideInPart,
  canResponseTransition,
  canTransition,
  closedWhileHidden,
  FINAL_STATES,
  isAnswerable,
  isAnswered,
  isArchiveState,
  isCollecting,
  isFinal,
  isHidden,
  isMarkedOverdue,
  isModerated,
  isPetitionState,
  isPrePublication,
  isPublic,
  isResponseDue,
  isResponseState,
  isReviewable,
  isStaffVisible,
  OVERDUE_RESPONSE_STATES,
  PETITION_STATE_LABELS,
  PETITION_STATES,
  type PetitionState,
  REMOVABLE_STATES,
  RESPONSE_DUE_STATES,
  RESPONSE_STATES,
  type ResponseState,
  responseStateFor,
  stateAfterRestoring,
  stateAfterUnhiding,
} from './petition-states.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

// The expected lifecycle, written out independently of PETITION_TRANSITIONS.
const EXPECTED_STATES = [
  'draft',
  'collecting_pre_agreements',
  'lapsed',
  'in_review',
  'open',
  'closed',
  'rejected',
  'hidden',
  'removed',
];

const EXPECTED_ALLOWED = new Set([
  'draft>collecting_pre_agreements',
  'draft>removed',
  'collecting_pre_agreements>in_review',
  'collecting_pre_agreements>lapsed',
  'collecting_pre_agreements>removed',
  'lapsed>removed',
  'in_review>open',
  'in_review>rejected',
  'in_review>hidden',
  'in_review>removed',
  'open>closed',
  'open>hidden',
  'open>removed',
  'open>rejected', // taken down with a public reason (issue 16)
  'closed>hidden',
  'closed>removed',
  'closed>rejected', // taken down
  'rejected>in_review', // restored: never published, back to moderation
  'rejected>open', // restored: taken down while its period ran
  'rejected>closed', // restored: taken down, its period over
  'rejected>hidden',
  'rejected>removed',
  'hidden>open',
  'hidden>closed',
  'hidden>removed',
]);

const EXPECTED_RESPONSE_ALLOWED = new Set([
  'none>awaiting',
  'none>answered',
  'awaiting>answered',
  'awaiting>none',
  'awaiting>overdue',
  'overdue>answered',
  'overdue>none',
]);

describe('petition states', () => {
  it('is one list of exactly the nine lifecycle states, without partial hiding', () => {
    expect([...PETITION_STATES]).toEqual(EXPECTED_STATES);
    expect(isPetitionState('hiddenInPart')).toBe(false);
    expect(isPetitionState('hidden_in_part')).toBe(false);
  });

  it('allows every listed transition and refuses every other pair (all 81 pairs)', () => {
    let allowed = 0;
    for (const from of EXPECTED_STATES as PetitionState[]) {
      for (const to of EXPECTED_STATES as PetitionState[]) {
        const expected = EXPECTED_ALLOWED.has(`${from}>${to}`);
        expect(canTransition(from, to), `${from} → ${to}`).toBe(expected);
        if (expected) {
          allowed += 1;
          expect(() => assertTransition(from, to)).not.toThrow();
        } else {
          const err = thrown(() => assertTransition(from, to));
          expect(err, `${from} → ${to}`).toBeInstanceOf(DomainError);
          expect((err as DomainError).code).toBe('invalid_transition');
          expect((err as DomainError).details).toMatchObject({ from, to });
        }
      }
    }
    expect(allowed).toBe(EXPECTED_ALLOWED.size);
  });

  it('explains a refused transition in words naming both states and the allowed ones', () => {
    const err = thrown(() => assertTransition('closed', 'open')) as DomainError;
    expect(err.message).toContain('"closed"');
    expect(err.message).toContain('"open"');
    expect(err.message).toContain('"hidden"');
    expect(err.details).toEqual({ from: 'closed', to: 'open', allowed: ['hidden', 'rejected', 'removed'] });
    expect((thrown(() => assertTransition('removed', 'open')) as DomainError).message).toContain('final');
  });

  it('answers group questions by membership', () => {
    const members = (pred: (s: PetitionState) => boolean) => PETITION_STATES.filter(pred);
    expect(members(isPublic)).toEqual(['open', 'closed']);
    expect(members(isCollecting)).toEqual(['collecting_pre_agreements', 'open']);
    expect(members(isReviewable)).toEqual(['in_review']);
    expect(members(isModerated)).toEqual(['open', 'closed', 'rejected', 'hidden']);
    expect(members(isPrePublication)).toEqual(['draft', 'collecting_pre_agreements', 'in_review']);
    expect(members(isFinal)).toEqual(['lapsed', 'closed', 'rejected', 'removed']);
    expect(members(isAnswerable)).toEqual(['open', 'closed']);
    expect(members(canHideInPart)).toEqual(['open', 'closed']);
    expect(members(isArchiveState)).toEqual(['closed']);
    expect(members(isHidden)).toEqual(['hidden']);
    expect(members(isStaffVisible)).toEqual(EXPECTED_STATES.filter((s) => s !== 'draft' && s !== 'removed'));
    expect([...ARCHIVE_STATES]).toEqual(['closed']);
    expect([...REMOVABLE_STATES]).toEqual(EXPECTED_STATES.filter((s) => s !== 'removed'));
  });

  it('lets every removable state be removed and nothing leave removed', () => {
    for (const s of REMOVABLE_STATES) expect(canTransition(s, 'removed')).toBe(true);
    for (const s of PETITION_STATES) expect(canTransition('removed', s)).toBe(false);
    // only a moderator's restore brings a rejected petition back (stateAfterRestoring); no other final state reopens
    for (const s of FINAL_STATES) expect(canTransition(s, 'open')).toBe(s === 'rejected');
  });

  it('restores a rejected petition to review, or to where it was when taken down', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    expect(stateAfterRestoring({ openedAt: null, closesAt: null }, now)).toBe('in_review');
    const opened = new Date('2026-12-01T00:00:00Z');
    expect(stateAfterRestoring({ openedAt: opened, closesAt: new Date('2026-12-31T00:00:00Z') }, now)).toBe(
      'open',
    );
    expect(stateAfterRestoring({ openedAt: opened, closesAt: new Date('2026-12-07T12:00:00Z') }, now)).toBe(
      'closed',
    );
  });

  it('has a Korean and English label for every state', () => {
    for (const s of PETITION_STATES) {
      expect(PETITION_STATE_LABELS[s].ko.length).toBeGreaterThan(0);
      expect(PETITION_STATE_LABELS[s].en.length).toBeGreaterThan(0);
    }
    expect(PETITION_STATE_LABELS.collecting_pre_agreements.ko).toContain('사전동의');
  });

  it('guards petition state values', () => {
    for (const s of EXPECTED_STATES) expect(isPetitionState(s)).toBe(true);
    for (const x of ['Open', ' open', 'answered', '', null, undefined, 3, {}])
      expect(isPetitionState(x)).toBe(false);
  });
});

describe('un-hiding', () => {
  const closesAt = new Date('2020-04-17T15:00:00Z');
  const before = new Date('2020-04-10T00:00:00Z');
  const after = new Date('2020-04-20T00:00:00Z');

  it('returns an open petition to open while its deadline is ahead', () => {
    expect(stateAfterUnhiding({ hiddenFrom: 'open', closesAt }, before)).toBe('open');
  });

  it('closes an open petition whose deadline passed while hidden', () => {
    expect(stateAfterUnhiding({ hiddenFrom: 'open', closesAt }, after)).toBe('closed');
    expect(stateAfterUnhiding({ hiddenFrom: 'open', closesAt }, closesAt)).toBe('closed');
  });

  it('never reopens a closed petition, even one closed before its deadline', () => {
    expect(stateAfterUnhiding({ hiddenFrom: 'closed', closesAt }, before)).toBe('closed');
    expect(stateAfterUnhiding({ hiddenFrom: 'closed', closesAt }, after)).toBe('closed');
  });

  it('has no automatic way back for a petition hidden from review or after rejection', () => {
    expect(stateAfterUnhiding({ hiddenFrom: 'in_review', closesAt: null }, before)).toBeNull();
    expect(stateAfterUnhiding({ hiddenFrom: 'rejected', closesAt: null }, before)).toBeNull();
  });

  it('sets the closing instant only when un-hiding closes a petition hidden while open (all 81 pairs)', () => {
    for (const hiddenFrom of PETITION_STATES) {
      for (const to of PETITION_STATES) {
        expect(closedWhileHidden(hiddenFrom, to), `${hiddenFrom} → ${to}`).toBe(
          hiddenFrom === 'open' && to === 'closed',
        );
      }
    }
  });

  it('only ever picks a state the transition table allows from hidden', () => {
    for (const hiddenFrom of PETITION_STATES) {
      for (const now of [before, after]) {
        const to = stateAfterUnhiding({ hiddenFrom, closesAt }, now);
        if (to !== null) expect(canTransition('hidden', to)).toBe(true);
      }
    }
  });
});

describe('response track', () => {
  it('is none, awaiting, overdue, answered', () => {
    expect([...RESPONSE_STATES]).toEqual(['none', 'awaiting', 'overdue', 'answered']);
  });

  it('allows exactly the listed moves (all 16 pairs)', () => {
    for (const from of RESPONSE_STATES as readonly ResponseState[]) {
      for (const to of RESPONSE_STATES as readonly ResponseState[]) {
        const expected = EXPECTED_RESPONSE_ALLOWED.has(`${from}>${to}`);
        expect(canResponseTransition(from, to), `${from} → ${to}`).toBe(expected);
        if (expected) {
          expect(() => assertResponseTransition(from, to)).not.toThrow();
        } else {
          const err = thrown(() => assertResponseTransition(from, to));
          expect(err).toBeInstanceOf(DomainError);
          expect((err as DomainError).code).toBe('invalid_transition');
          expect((err as DomainError).details).toMatchObject({ track: 'response', from, to });
        }
      }
    }
  });

  it('keeps an answer once published', () => {
    expect(canResponseTransition('answered', 'none')).toBe(false);
    expect(canResponseTransition('answered', 'awaiting')).toBe(false);
  });

  it('derives the response state from the stored moments', () => {
    const t = new Date('2020-03-23T00:00:00Z');
    expect(responseStateFor({ answeredAt: null, responseThresholdReachedAt: null })).toBe('none');
    expect(responseStateFor({ answeredAt: null, responseThresholdReachedAt: t })).toBe('awaiting');
    expect(responseStateFor({ answeredAt: t, responseThresholdReachedAt: null })).toBe('answered');
    expect(responseStateFor({ answeredAt: t, responseThresholdReachedAt: t })).toBe('answered');
  });

  it('answers response-track group questions by membership', () => {
    const members = (pred: (s: ResponseState) => boolean) => RESPONSE_STATES.filter(pred);
    expect(members(isAnswered)).toEqual(['answered']);
    expect([...ANSWERED_RESPONSE_STATES]).toEqual(['answered']);
    expect(members(isResponseDue)).toEqual(['awaiting', 'overdue']);
    expect([...RESPONSE_DUE_STATES]).toEqual(['awaiting', 'overdue']);
    expect(members(isMarkedOverdue)).toEqual(['overdue']);
    expect([...OVERDUE_RESPONSE_STATES]).toEqual(['overdue']);
    for (const s of OVERDUE_RESPONSE_STATES) expect(isResponseDue(s)).toBe(true);
  });

  it('gives an imported archive record a closed petition, answered or not due', () => {
    expect(archivedStates(true)).toEqual({ state: 'closed', responseState: 'answered' });
    expect(archivedStates(false)).toEqual({ state: 'closed', responseState: 'none' });
    for (const answered of [true, false]) {
      const { state, responseState } = archivedStates(answered);
      expect(isArchiveState(state)).toBe(true);
      expect(isAnswered(responseState)).toBe(answered);
      expect(isResponseDue(responseState)).toBe(false);
    }
  });

  it('guards response state values', () => {
    for (const s of ['none', 'awaiting', 'overdue', 'answered']) expect(isResponseState(s)).toBe(true);
    for (const x of ['responded', 'pending', 'open', '', null, 1]) expect(isResponseState(x)).toBe(false);
  });
});
