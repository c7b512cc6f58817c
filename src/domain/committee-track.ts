/**
 * The National Assembly's track after its threshold (국회 국민동의청원): a petition that gathers 50,000 agreements
 * within its 30 days is referred to the competent standing committee (소관위원회 회부), which reviews it and
 * decides, or does not decide before the Assembly's term ends (임기만료폐기). National Assembly Act arts. 123–125.
 *
 * Kept apart from the petition state (the petition closes at its deadline whatever the committee does) and from the
 * response track, the way the UK debate track is: `petitions.committee_state`, with each move recorded as a public
 * timeline event (`petition_track_events`, track 'committee').
 *
 * - `none` — not referred (threshold not reached, or not yet referred by staff);
 * - `referred` — referred to a committee (its name is recorded);
 * - `under_review` — the committee (or its petition review subcommittee, 청원심사소위) has taken it up;
 * - `decided` — the committee decided (adopted, referred to the plenary, or not adopted; the decision's text is
 *   public) — final;
 * - `ended_with_term` — the Assembly's term ended before a decision (임기만료폐기) — final.
 *
 * Pure: no I/O, no clock.
 */
import { DomainError } from './errors.js';

export const COMMITTEE_STATES = ['none', 'referred', 'under_review', 'decided', 'ended_with_term'] as const;

/** One of `COMMITTEE_STATES`, stored as this string (`petitions.committee_state`). */
export type CommitteeState = (typeof COMMITTEE_STATES)[number];

/** The stages staff move a petition to (every state but `none`), in track order. */
export const COMMITTEE_STAGES = ['referred', 'under_review', 'decided', 'ended_with_term'] as const;
export type CommitteeStage = (typeof COMMITTEE_STAGES)[number];

/**
 * Allowed moves: none → referred; referred → under_review, decided, ended_with_term; under_review → decided,
 * ended_with_term; decided and ended_with_term are final.
 */
export const COMMITTEE_TRANSITIONS: Readonly<Record<CommitteeState, readonly CommitteeState[]>> = {
  none: ['referred'],
  referred: ['under_review', 'decided', 'ended_with_term'],
  under_review: ['decided', 'ended_with_term'],
  decided: [],
  ended_with_term: [],
};

export function isCommitteeState(x: unknown): x is CommitteeState {
  return typeof x === 'string' && (COMMITTEE_STATES as readonly string[]).includes(x);
}

export function isCommitteeStage(x: unknown): x is CommitteeStage {
  return typeof x === 'string' && (COMMITTEE_STAGES as readonly string[]).includes(x);
}

/** What staff enter for a committee stage (trimmed). */
export interface CommitteeStageInput {
  readonly stage: CommitteeStage;
  /** The committee's name; required for `referred` (e.g. '법제사법위원회'). */
  readonly committee: string | null;
  /** Local date ('YYYY-MM-DD') of the stage; required for `decided`. */
  readonly on: string | null;
  /** Public text: the decision (required for `decided`), or a note. */
  readonly note: string | null;
}

/**
 * Checks a move of the committee track and what staff entered for it.
 * @param p.state the petition's committee state now; p.responseReached whether the referral threshold was reached
 *   (`response_threshold_reached_at` set): only such a petition may be referred
 * @throws DomainError('invalid_transition') for a move the table refuses or a referral below the threshold;
 *   DomainError('invalid_parameter') with `{ fields }` for a missing committee (referral), date or decision text
 *   (decision), or a malformed date
 */
export function checkCommitteeMove(
  p: { readonly state: CommitteeState; readonly responseReached: boolean },
  input: CommitteeStageInput,
): void {
  const allowed = COMMITTEE_TRANSITIONS[p.state];
  if (!allowed.includes(input.stage)) {
    throw new DomainError(
      'invalid_transition',
      `A petition's committee track cannot go from "${p.state}" to "${input.stage}"; it may only go to ${
        allowed.length === 0 ? 'nothing (it is final)' : allowed.map((s) => `"${s}"`).join(', ')
      }.`,
      { track: 'committee', from: p.state, to: input.stage, allowed: [...allowed] },
    );
  }
  if (input.stage === 'referred' && !p.responseReached) {
    throw new DomainError(
      'invalid_transition',
      'Only a petition that reached the referral threshold within its period can be referred to a committee.',
      { track: 'committee', from: p.state, to: input.stage },
    );
  }
  const missing: string[] = [];
  if (input.stage === 'referred' && !input.committee) missing.push('committee');
  if (input.stage === 'decided' && !input.note) missing.push('note');
  if (input.stage === 'decided' && !input.on) missing.push('on');
  if (input.on !== null && !isLocalDate(input.on)) missing.push('on');
  if (missing.length > 0) {
    throw new DomainError(
      'invalid_parameter',
      'Give the committee for a referral, and the date and the decision for a decision (dates as YYYY-MM-DD).',
      { fields: Object.fromEntries(missing.map((f) => [f, 'required'])) },
    );
  }
}

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isLocalDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Korean and English labels of the committee track ('' for none). */
export const COMMITTEE_STATE_LABELS: Readonly<
  Record<CommitteeState, { readonly ko: string; readonly en: string }>
> = {
  none: { ko: '', en: '' },
  referred: { ko: '소관위원회 회부', en: 'Referred to a committee' },
  under_review: { ko: '위원회 심사 중', en: 'Under review by the committee' },
  decided: { ko: '위원회 심사 완료', en: 'Decided by the committee' },
  ended_with_term: { ko: '임기만료폐기', en: "Ended with the Assembly's term" },
};
