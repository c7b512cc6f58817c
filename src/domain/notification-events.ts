import { inGroup, type PetitionState, type ResponseState, type StateGroup } from './petition-states.js';

/**
 * Which new counts cause mail (the rules behind notifications/outbox.ts `recordCountEvents`). Pure: the caller
 * reads the petitions after the batch's counts were written and queues what these say.
 */

/** Pre-agreement progress milestones (percent of the profile's pre-agreement threshold) that mail the creator. */
export const PROGRESS_MILESTONES = [50, 100] as const;

/**
 * States in which the creator hears of pre-agreement progress: while pre-agreements (사전동의) are collected, and
 * while the petition waits for review (the count that got it there may still cross the 100% milestone).
 */
export const PRE_AGREEMENT_PROGRESS_STATES = [
  'collecting_pre_agreements',
  'in_review',
] as const satisfies StateGroup;

/**
 * The highest progress milestone a petition's pre-agreements have reached (only the highest: a jump past both 50%
 * and 100% sends one mail, not two), or undefined when none is reached, the profile has no pre-agreement stage
 * (`preAgreementThreshold` 0) or the petition is not in `PRE_AGREEMENT_PROGRESS_STATES`.
 * @param preAgreementThreshold the profile's effective pre-agreement threshold (count)
 */
export function progressMilestoneReached(
  p: { readonly state: PetitionState; readonly agreement_count: number },
  preAgreementThreshold: number,
): (typeof PROGRESS_MILESTONES)[number] | undefined {
  const pre = preAgreementThreshold;
  if (!(pre > 0) || !inGroup(PRE_AGREEMENT_PROGRESS_STATES, p.state)) return undefined;
  return [...PROGRESS_MILESTONES].reverse().find((m) => p.agreement_count * 100 >= pre * m);
}

/**
 * True when the response threshold was crossed by the batch committed at `now`: the writer stores the batch's
 * `now` as `response_threshold_reached_at` on a crossing and moves the response track to `awaiting`; a petition
 * already answered (or whose crossing was older) gets no threshold mail.
 */
export function thresholdCrossedAt(
  p: { readonly response_threshold_reached_at: Date | null; readonly response_state: ResponseState },
  now: Date,
): boolean {
  return p.response_threshold_reached_at?.getTime() === now.getTime() && p.response_state === 'awaiting';
}
