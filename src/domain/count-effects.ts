/**
 * What follows from a petition's agreement count: the one home of the rules the agreement writer, `reconcile --fix`
 * and the SQL guard of the writer's fast path (migration `2300_count_guard`, `guardedSum` in
 * repositories/writes/agreement-batches.ts) all obey.
 *
 * - the effective thresholds: a petition's own threshold when it has one (imported records carry the rule of their
 *   time), else its profile's runtime setting;
 * - threshold crossings recorded once with their moment, undone when the count falls back below (`applyCount`);
 * - the response track: `none → awaiting` with its deadline on a crossing while the petition is public,
 *   `awaiting|overdue → none` when the crossing is undone (an answer already published stays);
 * - the debate track (UK): `none → awaiting` when the debate threshold is crossed;
 * - 사전동의: a petition collecting pre-agreements goes to review once it has enough.
 *
 * Pure: `now`, settings and the zone are arguments.
 */
import { assertTransition, isPublic, type PetitionState, type ResponseState } from './petition-states.js';
import type { PolicySettings } from './policy-profiles.js';
import { assertDebateTransition, type DebateState } from './response-track.js';
import { applyCountToThresholds, responseDueAt } from './thresholds.js';

/** The stored facts of a petition that a count change reads (column names as stored; instants in UTC). */
export interface CountedPetition {
  id: string;
  profile: string;
  state: PetitionState;
  closes_at: Date | null;
  response_state: ResponseState;
  debate_state: DebateState;
  /** The petition's own thresholds (imported records), or null for the profile's. */
  response_threshold: number | null;
  debate_threshold: number | null;
  agreement_count: number;
  response_threshold_reached_at: Date | null;
  debate_threshold_reached_at: Date | null;
}

/** The columns of `CountedPetition`, in the order repositories select them. */
export const COUNTED_COLUMNS = [
  'id',
  'profile',
  'state',
  'closes_at',
  'agreement_count',
  'response_state',
  'debate_state',
  'response_threshold',
  'debate_threshold',
  'response_threshold_reached_at',
  'debate_threshold_reached_at',
] as const satisfies ReadonlyArray<keyof CountedPetition>;

/** The columns a count change may move besides the count itself. */
export interface CountEffects {
  state?: PetitionState;
  review_started_at?: Date;
  response_state?: ResponseState;
  response_threshold_reached_at?: Date | null;
  debate_threshold_reached_at?: Date | null;
  response_due_at?: Date | null;
  debate_state?: DebateState;
}

/** A profile's effective settings and its time zone, as the runtime settings give them. */
export interface CountRules {
  settingsFor(profile: string): PolicySettings;
  timeZoneFor(profile: string): string;
}

/**
 * The thresholds that apply to a petition: its own (`response_threshold`, `debate_threshold`, set on imported
 * records to the rule of their time) where it has one, else its profile's effective settings.
 * @returns `{ response, debate }` in agreements; `debate` null when neither has a debate threshold
 */
export function effectiveThresholds(
  petition: { readonly response_threshold: number | null; readonly debate_threshold: number | null },
  settings: Pick<PolicySettings, 'responseThreshold' | 'debateThreshold'>,
): { response: number; debate: number | null } {
  return {
    response: petition.response_threshold ?? settings.responseThreshold,
    debate: petition.debate_threshold ?? settings.debateThreshold,
  };
}

/**
 * What follows from a petition's count going from `p.agreement_count` to `newCount`.
 * @param p the stored petition (before the change)
 * @param newCount the count after the change (integer ≥ 0)
 * @param now the instant of the change (UTC): a crossing's moment, a review's start
 * @param rules the profile's settings and zone (response deadlines are local days)
 * @returns the columns to change, or null when nothing but the count changes
 * @throws RangeError for a count that is not an integer ≥ 0
 */
export function countEffects(
  p: CountedPetition,
  newCount: number,
  now: Date,
  rules: CountRules,
): CountEffects | null {
  const settings = rules.settingsFor(p.profile);
  const thresholds = effectiveThresholds(p, settings);
  const outcome = applyCountToThresholds(
    { responseThreshold: thresholds.response, debateThreshold: thresholds.debate },
    {
      count: p.agreement_count,
      responseThresholdReachedAt: p.response_threshold_reached_at,
      debateThresholdReachedAt: p.debate_threshold_reached_at,
    },
    newCount,
    now,
  );
  const effects: CountEffects = {};
  if (outcome.responseThresholdReachedAt !== p.response_threshold_reached_at) {
    effects.response_threshold_reached_at = outcome.responseThresholdReachedAt;
  }
  if (outcome.debateThresholdReachedAt !== p.debate_threshold_reached_at) {
    effects.debate_threshold_reached_at = outcome.debateThresholdReachedAt;
  }
  if (p.state === 'collecting_pre_agreements' && newCount >= settings.preAgreementThreshold) {
    assertTransition('collecting_pre_agreements', 'in_review'); // 사전동의 reached: on to moderation
    effects.state = 'in_review';
    effects.review_started_at = now; // the queue orders by waiting time; the creator's page says "검토 중 (…부터)"
  }
  if (outcome.response.crossed && p.response_state === 'none' && isPublic(p.state)) {
    effects.response_state = 'awaiting';
    effects.response_due_at = responseDueAt(
      settings,
      { closedAt: p.closes_at, thresholdReachedAt: outcome.responseThresholdReachedAt },
      rules.timeZoneFor(p.profile),
    );
  } else if (outcome.response.undone && (p.response_state === 'awaiting' || p.response_state === 'overdue')) {
    effects.response_state = 'none';
    effects.response_due_at = null;
  }
  if (outcome.debate?.crossed && p.debate_state === 'none') {
    assertDebateTransition('none', 'awaiting'); // UK: 100,000 signatures → considered for debate
    effects.debate_state = 'awaiting';
  }
  return Object.keys(effects).length > 0 ? effects : null;
}
