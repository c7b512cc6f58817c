/**
 * Who may agree to a petition, and whose emailed link may still be confirmed, now: the one home of the admission
 * rules the agreement writer decides by (src/signing/agreement-writer.ts) and its batch statement mirrors in SQL
 * (src/repositories/writes/agreement-batches.ts, which receives the state groups below as parameters).
 *
 * - a public agreement is taken while the petition is `open` and before it closes (`closes_at`, exclusive);
 * - a pre-agreement (사전동의: a person who came through the creator's private link) is also taken while the
 *   petition collects pre-agreements, before it closes;
 * - an emailed link may be confirmed while the petition is open, collecting pre-agreements, or closed — within a
 *   grace period after it closed (a link mailed just before the close still counts);
 * - a refusal says "not open" only for a petition the public can see (`PUBLIC_STATES`); for any other it says
 *   "not found", so the answer never tells whether a non-public petition exists or whom it counted.
 *
 * Pure: `now` and the grace period are arguments.
 */
import { inGroup, isPublic, type PetitionState, PUBLIC_STATES, type StateGroup } from './petition-states.js';
import { PROFILE_CODES, PROFILES, type ProfileCode } from './policy-profiles.js';

/** States in which anyone may agree (with `closes_at` still ahead). */
export const PUBLIC_AGREEMENT_STATES = ['open'] as const satisfies StateGroup;

/** States in which only a person who came through the creator's private link may agree (사전동의). */
export const PRE_AGREEMENT_STATES = ['collecting_pre_agreements'] as const satisfies StateGroup;

/**
 * States in which a person with the creator's link may still agree on a profile that accepts supporters beyond the
 * threshold (`rules.supportersBeyondThreshold`; UK: more sponsors are accepted while the petition awaits
 * moderation — e-petitions lets sponsors sign a `sponsored` petition).
 */
export const LATE_SUPPORT_STATES = ['in_review'] as const satisfies StateGroup;

/** The profiles whose rules accept supporters beyond the threshold (the SQL of the batch takes this list). */
export const LATE_SUPPORT_PROFILES: readonly ProfileCode[] = PROFILE_CODES.filter(
  (code) => PROFILES[code].rules.supportersBeyondThreshold,
);

/** A person with the creator's link may agree now, by state and profile (deadline aside). */
export function takesSponsorAgreement(p: {
  readonly state: PetitionState;
  readonly profile?: string;
}): boolean {
  return (
    takesPreAgreements(p.state) ||
    (inGroup(LATE_SUPPORT_STATES, p.state) &&
      p.profile !== undefined &&
      (LATE_SUPPORT_PROFILES as readonly string[]).includes(p.profile))
  );
}

/** States in which an emailed link may be confirmed (within the grace period after `closes_at`). */
export const CONFIRMABLE_STATES = [
  ...PUBLIC_STATES,
  'collecting_pre_agreements',
] as const satisfies StateGroup;

/**
 * States in which the creator's private pre-agreement page answers: while it collects pre-agreements (with the
 * agreement form), and once enough came while it waits for moderation (saying so).
 */
export const SPONSOR_PAGE_STATES = [...PRE_AGREEMENT_STATES, 'in_review'] as const satisfies StateGroup;

/**
 * The petition is in a state where anyone may agree (`PUBLIC_AGREEMENT_STATES`: open) — its deadline aside; pages
 * show it as live.
 */
export function takesPublicAgreements(state: PetitionState): boolean {
  return inGroup(PUBLIC_AGREEMENT_STATES, state);
}

/** The petition takes pre-agreements through the creator's private link (`PRE_AGREEMENT_STATES`). */
export function takesPreAgreements(state: PetitionState): boolean {
  return inGroup(PRE_AGREEMENT_STATES, state);
}

/** How long after a petition closed its emailed links may still be confirmed, unless configured (ms: 24 h). */
export const DEFAULT_CONFIRM_GRACE_MS = 24 * 3600_000;

/** The facts of a petition that admission reads (`closes_at`: exclusive end of the period, UTC; null: none). */
export interface AdmissionFacts {
  readonly state: PetitionState;
  readonly closes_at: Date | null;
  /** The petition's profile (its rules decide whether supporters are taken beyond the threshold). */
  readonly profile?: string;
}

/**
 * Whether the petition takes a new agreement now.
 * @param sponsor the person came through the creator's private pre-agreement link (checked by the caller)
 */
export function takesAgreement(p: AdmissionFacts, sponsor: boolean, now: Date): boolean {
  const state = takesPublicAgreements(p.state) || (sponsor && takesSponsorAgreement(p));
  return state && (p.closes_at === null || now.getTime() < p.closes_at.getTime());
}

/**
 * Whether an emailed link of the petition may be confirmed now: in `CONFIRMABLE_STATES` and before `closes_at`
 * plus `graceMs`.
 */
export function takesConfirmation(p: AdmissionFacts, now: Date, graceMs: number): boolean {
  return (
    (inGroup(CONFIRMABLE_STATES, p.state) || takesSponsorAgreement(p)) &&
    (p.closes_at === null || now.getTime() < p.closes_at.getTime() + graceMs)
  );
}

/**
 * Why an agreement was refused, as the person may be told: `petition_not_open` for a petition the public can see
 * (open or closed), `petition_not_found` for one that does not exist or is not public.
 */
export function agreementRefusal(p: AdmissionFacts | undefined): 'petition_not_open' | 'petition_not_found' {
  return p !== undefined && isPublic(p.state) ? 'petition_not_open' : 'petition_not_found';
}
