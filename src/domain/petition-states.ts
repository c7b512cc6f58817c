/**
 * The petition lifecycle: ONE list of states, named groups of them, and the table of allowed moves.
 *
 * Shape borrowed from alphagov/e-petitions (`Petition::STATES`, `MODERATED_STATES`, `PUBLISHED_STATES`, …):
 * a question such as "is this petition on the public site?" is answered by membership in a named group
 * (`isPublic(state)`), never by a chain of `if`s scattered through the code.
 *
 * Two independent tracks are kept:
 *  - the **petition state** (`PETITION_STATES`): where the petition is in its life (draft → … → closed);
 *  - the **response track** (`RESPONSE_STATES`): whether an official answer (답변) is owed and whether it came.
 *    It moves on its own: an answer may be published while a petition is still open (the 2020 Telegram
 *    "n번방" petitions were answered before they closed), and a petition can be closed yet still awaiting.
 *
 * **Partial hiding is not a state.** A moderator may hide passages of a petition (personal data, defamation)
 * while the petition stays `open` or `closed`; that is carried by a separate flag (see `PartialHiding`), and the
 * petition keeps its state, its count and its place in listings. Only whole-petition hiding is the `hidden`
 * state.
 *
 * Everything here is pure data and pure functions; no I/O, no clock.
 */
import { DomainError } from './errors.js';

// ---------------------------------------------------------------------------------------------------------------
// Petition states
// ---------------------------------------------------------------------------------------------------------------

/**
 * Every state a petition can be in, in lifecycle order.
 *
 * - `draft` — being written by its creator; private to the creator.
 * - `collecting_pre_agreements` — 사전동의: the creator shares a private link and gathers the first supporters
 *   (CWD rule since 2019-03-31: 100 pre-agreements; 국회 국민동의청원: 100 within 30 days; UK: 5 sponsors).
 * - `lapsed` — the window for pre-agreements ended before enough supporters agreed (국회 국민동의청원: 100 within
 *   30 days; Blue House: 100 within 30 days); never published, the end of the line for that petition.
 * - `in_review` — enough pre-agreements; waiting for a moderator's decision.
 * - `open` — published; agreements are collected until the deadline (`closesAt`).
 * - `closed` — the agreement period has ended (or the petition was closed early); the count is frozen.
 * - `rejected` — a moderator refused to publish it (reason stored elsewhere); never collected public agreements.
 * - `hidden` — a moderator took the whole petition off the public site (it may be restored, see
 *   `stateAfterUnhiding`).
 * - `removed` — withdrawn by its creator or removed by an administrator; the end of the line.
 */
export const PETITION_STATES = [
  'draft',
  'collecting_pre_agreements',
  'lapsed',
  'in_review',
  'open',
  'closed',
  'rejected',
  'hidden',
  'removed',
] as const;

/** One of `PETITION_STATES`. Stored as this exact lower-case string (database `petitions.state`). */
export type PetitionState = (typeof PETITION_STATES)[number];

/** A named group of petition states (a readonly array, so it can go straight into SQL `IN (…)`). */
export type StateGroup = readonly PetitionState[];

/**
 * States before publication: the petition belongs to its creator and is never listed publicly.
 * (e-petitions: `pending`, `validated`, `sponsored`.)
 */
export const PRE_PUBLICATION_STATES = [
  'draft',
  'collecting_pre_agreements',
  'in_review',
] as const satisfies StateGroup;

/** States in which agreements may be added: pre-agreements (사전동의) while collecting them, public ones while open. */
export const COLLECTING_STATES = ['collecting_pre_agreements', 'open'] as const satisfies StateGroup;

/** The moderation queue: petitions waiting for a moderator's decision. */
export const REVIEWABLE_STATES = ['in_review'] as const satisfies StateGroup;

/** States that exist only because a moderator decided (e-petitions `MODERATED_STATES`). */
export const MODERATED_STATES = ['open', 'closed', 'rejected', 'hidden'] as const satisfies StateGroup;

/** Visible on the public site: listed, searchable, readable by anyone (e-petitions `PUBLISHED_STATES`). */
export const PUBLIC_STATES = ['open', 'closed'] as const satisfies StateGroup;

/**
 * States whose page answers at the petition's number: the public states, and `rejected`, whose page shows the
 * public reason of the rejection (never the text).
 */
export const PAGE_STATES = ['open', 'closed', 'rejected'] as const satisfies StateGroup;

/** The petition's page answers at its number (`PAGE_STATES`). */
export function hasPublicPage(state: PetitionState): boolean {
  return inGroup(PAGE_STATES, state);
}

/**
 * States in which an official response may be published: the petition is public. A response may come before
 * the petition closes (the 2020 n번방 answer came while petitions were still open).
 */
export const ANSWERABLE_STATES = ['open', 'closed'] as const satisfies StateGroup;

/**
 * States in which a petition can carry partially hidden passages (`PartialHiding.hiddenInPart`): only petitions
 * people can read need passages masked.
 */
export const PARTIALLY_HIDEABLE_STATES = ['open', 'closed'] as const satisfies StateGroup;

/** States a moderator may hide the whole petition from. */
export const HIDEABLE_STATES = ['in_review', 'open', 'closed', 'rejected'] as const satisfies StateGroup;

/** Wholly hidden by a moderator (partial hiding is a flag, not a state). */
export const HIDDEN_STATES = ['hidden'] as const satisfies StateGroup;

/**
 * States staff pages look among (similar petitions on the review page): every petition a moderator has seen or
 * will see — not drafts (private to their creator) and not removed ones.
 */
export const STAFF_VISIBLE_STATES = PETITION_STATES.filter(
  (s): s is Exclude<PetitionState, 'draft' | 'removed'> => s !== 'draft' && s !== 'removed',
) as readonly Exclude<PetitionState, 'draft' | 'removed'>[];

/**
 * Outcome states: the petition will never collect agreements again under the normal flow and its count is frozen
 * (it can still be hidden or removed). `hidden` is not final: it may return to `open`.
 */
export const FINAL_STATES = ['closed', 'rejected', 'lapsed', 'removed'] as const satisfies StateGroup;

/** The only state without a way out. */
export const TERMINAL_STATES = ['removed'] as const satisfies StateGroup;

/** States a creator or administrator may remove a petition from: every state except `removed` itself. */
export const REMOVABLE_STATES = PETITION_STATES.filter(
  (s): s is Exclude<PetitionState, 'removed'> => s !== 'removed',
) as readonly Exclude<PetitionState, 'removed'>[];

/**
 * What an imported historic record (CWD, 국회, UK, We the People archives) may be: the period is over and only the
 * archived total is known. Answered archive records are `closed` with response state `answered`.
 */
export const ARCHIVE_STATES = ['closed'] as const satisfies StateGroup;

/** One of `ARCHIVE_STATES`. */
export type ArchiveState = (typeof ARCHIVE_STATES)[number];

/**
 * The petition and response states every imported historic record gets (one definition for the importer's inserts
 * and its later completions): the period is over, so the petition is `closed` (`ARCHIVE_STATES`); an archive only
 * says whether an official answer came, so the response state is `answered` when the source says one was given and
 * `none` otherwise (an archive never shows an answer still owed: no `awaiting`, no `overdue`).
 * @param answered the source says an official answer was given (CWD '브리핑', UK government_response)
 */
export function archivedStates(answered: boolean): {
  readonly state: ArchiveState;
  readonly responseState: 'answered' | 'none';
} {
  return { state: 'closed', responseState: answered ? 'answered' : 'none' };
}

/** True when `state` is a member of `group`. The one membership test the `is…` helpers below are built on. */
export function inGroup(group: StateGroup, state: PetitionState): boolean {
  return group.includes(state);
}

/** Listed and readable on the public site (`PUBLIC_STATES`: open, closed). */
export function isPublic(state: PetitionState): boolean {
  return inGroup(PUBLIC_STATES, state);
}

/** Agreements (pre-agreements or public ones) may be added (`COLLECTING_STATES`). */
export function isCollecting(state: PetitionState): boolean {
  return inGroup(COLLECTING_STATES, state);
}

/** Waiting in the moderation queue (`REVIEWABLE_STATES`). */
export function isReviewable(state: PetitionState): boolean {
  return inGroup(REVIEWABLE_STATES, state);
}

/** A moderator has decided on it (`MODERATED_STATES`). */
export function isModerated(state: PetitionState): boolean {
  return inGroup(MODERATED_STATES, state);
}

/** Not yet published: private to its creator (`PRE_PUBLICATION_STATES`). */
export function isPrePublication(state: PetitionState): boolean {
  return inGroup(PRE_PUBLICATION_STATES, state);
}

/** Count frozen, outcome settled (`FINAL_STATES`: closed, rejected, removed). */
export function isFinal(state: PetitionState): boolean {
  return inGroup(FINAL_STATES, state);
}

/** An official response may be published now (`ANSWERABLE_STATES`). */
export function isAnswerable(state: PetitionState): boolean {
  return inGroup(ANSWERABLE_STATES, state);
}

/** Passages may be hidden while the petition keeps its state (`PARTIALLY_HIDEABLE_STATES`). */
export function canHideInPart(state: PetitionState): boolean {
  return inGroup(PARTIALLY_HIDEABLE_STATES, state);
}

/** Wholly hidden (`HIDDEN_STATES`). */
export function isHidden(state: PetitionState): boolean {
  return inGroup(HIDDEN_STATES, state);
}

/** Staff pages may show it (`STAFF_VISIBLE_STATES`: everything but drafts and removed petitions). */
export function isStaffVisible(state: PetitionState): boolean {
  return inGroup(STAFF_VISIBLE_STATES, state);
}

/** A state an imported archive record may carry (`ARCHIVE_STATES`). */
export function isArchiveState(state: PetitionState): boolean {
  return inGroup(ARCHIVE_STATES, state);
}

/** Type guard: `x` is one of the exact strings in `PETITION_STATES`. */
export function isPetitionState(x: unknown): x is PetitionState {
  return typeof x === 'string' && (PETITION_STATES as readonly string[]).includes(x);
}

/** Korean and English labels for showing a state to people (the stored value is always the code). */
export const PETITION_STATE_LABELS: Readonly<
  Record<PetitionState, { readonly ko: string; readonly en: string }>
> = {
  draft: { ko: '작성 중', en: 'Draft' },
  collecting_pre_agreements: { ko: '사전동의 진행 중', en: 'Collecting supporters' },
  lapsed: { ko: '사전동의 기간 만료', en: 'Lapsed: not enough supporters in time' },
  in_review: { ko: '검토 중', en: 'Awaiting moderation' },
  open: { ko: '청원 진행 중', en: 'Open' },
  closed: { ko: '청원 종료', en: 'Closed' },
  rejected: { ko: '공개 거부', en: 'Rejected' },
  hidden: { ko: '숨김', en: 'Hidden' },
  removed: { ko: '삭제됨', en: 'Removed' },
};

// ---------------------------------------------------------------------------------------------------------------
// Partial hiding (a flag, not a state)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Partial hiding: a petition in `PARTIALLY_HIDEABLE_STATES` (open, closed) may have passages masked by a moderator
 * (e.g. a name or phone number in the text) while it stays listed, keeps collecting (if open) and keeps its count.
 * It is deliberately NOT a `PetitionState`: it is orthogonal to the lifecycle. The masked ranges themselves live
 * with moderation; the petition only carries this flag so listings and presenters know to render the masked text.
 */
export interface PartialHiding {
  /** True when at least one passage of the petition's text is currently hidden by a moderator. */
  readonly hiddenInPart: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Transitions
// ---------------------------------------------------------------------------------------------------------------

/**
 * The allowed moves, `from → [to…]`. Everything not listed is refused; staying in the same state is not a
 * transition (callers skip no-ops before asking).
 *
 * - draft → collecting_pre_agreements (creator starts gathering 사전동의), removed (creator deletes the draft)
 * - collecting_pre_agreements → in_review (pre-agreement threshold reached), lapsed (its window ended first), removed
 * - lapsed → removed
 * - in_review → open (published), rejected, hidden, removed
 * - open → closed (deadline or early close), hidden, rejected (taken down with a public reason), removed
 * - closed → hidden, rejected (taken down), removed
 * - rejected → in_review, open, closed (restored by a moderator: see `stateAfterRestoring`), hidden, removed
 * - hidden → open, closed (un-hiding returns the petition to where it was; see `stateAfterUnhiding`), removed
 * - removed → nothing
 */
export const PETITION_TRANSITIONS: Readonly<Record<PetitionState, readonly PetitionState[]>> = {
  draft: ['collecting_pre_agreements', 'removed'],
  collecting_pre_agreements: ['in_review', 'lapsed', 'removed'],
  lapsed: ['removed'],
  in_review: ['open', 'rejected', 'hidden', 'removed'],
  open: ['closed', 'hidden', 'rejected', 'removed'],
  closed: ['hidden', 'rejected', 'removed'],
  rejected: ['in_review', 'open', 'closed', 'hidden', 'removed'],
  hidden: ['open', 'closed', 'removed'],
  removed: [],
};

/** True when `PETITION_TRANSITIONS` allows `from → to`. `from === to` is always false. */
export function canTransition(from: PetitionState, to: PetitionState): boolean {
  return PETITION_TRANSITIONS[from].includes(to);
}

/**
 * Refuses a move the lifecycle does not allow.
 * @throws DomainError('invalid_transition') with details `{ from, to, allowed }` when `canTransition` is false.
 */
export function assertTransition(from: PetitionState, to: PetitionState): void {
  if (canTransition(from, to)) return;
  const allowed = PETITION_TRANSITIONS[from];
  throw new DomainError(
    'invalid_transition',
    `A petition cannot go from "${from}" to "${to}"; from "${from}" it may only go to ${
      allowed.length === 0 ? 'nothing (it is final)' : allowed.map((s) => `"${s}"`).join(', ')
    }.`,
    { from, to, allowed: [...allowed] },
  );
}

/**
 * Where a hidden petition goes when a moderator restores it. The table allows `hidden → open` and
 * `hidden → closed`; this picks the right one so a closed petition is never reopened by hiding and un-hiding it.
 *
 * @param petition.hiddenFrom the state the petition was in when it was hidden (the caller records it)
 * @param petition.closesAt exclusive end of the agreement period (UTC instant), null if it never opened
 * @param now current instant (UTC)
 * @returns 'closed' when it was closed (a closed petition, even one closed early, is never reopened this way);
 *   'open' when it was open and its deadline is still ahead (now < closesAt); 'closed' when it was open and the
 *   deadline passed while it was hidden (closedAt should then be set to `closesAt`, as `closePetition` does);
 *   null when it was hidden from any other state (in_review, rejected): there is no automatic way back and a
 *   moderator must decide (publishing from hidden = `open` with a fresh period, or leaving it hidden).
 */
export function stateAfterUnhiding(
  petition: { readonly hiddenFrom: PetitionState; readonly closesAt: Date | null },
  now: Date,
): 'open' | 'closed' | null {
  if (petition.hiddenFrom === 'closed') return 'closed';
  if (petition.hiddenFrom !== 'open') return null;
  if (petition.closesAt === null) return 'open';
  return now.getTime() < petition.closesAt.getTime() ? 'open' : 'closed';
}

/**
 * Where a rejected petition goes when a moderator restores it (e-petitions lets moderators undo a rejection the
 * same way): one never published goes back to the moderation queue (`in_review`), where it may be published; one
 * taken down after publication returns to `open` while its period runs (now < closesAt), else to `closed` — its
 * count and dates are kept, and a closed petition is never reopened.
 * @param p.openedAt when it was published (null: never), p.closesAt its exclusive deadline (UTC)
 */
export function stateAfterRestoring(
  p: { readonly openedAt: Date | null; readonly closesAt: Date | null },
  now: Date,
): 'in_review' | 'open' | 'closed' {
  if (p.openedAt === null) return 'in_review';
  if (p.closesAt === null || now.getTime() < p.closesAt.getTime()) return 'open';
  return 'closed';
}

/**
 * True when un-hiding to `to` closes a petition that was open when it was hidden (its deadline passed while it was
 * hidden, see `stateAfterUnhiding`): its `closedAt` is then its `closesAt`, as `closePetition` would have set it.
 */
export function closedWhileHidden(hiddenFrom: PetitionState, to: PetitionState): boolean {
  return hiddenFrom === 'open' && to === 'closed';
}

// ---------------------------------------------------------------------------------------------------------------
// Response track
// ---------------------------------------------------------------------------------------------------------------

/**
 * Whether an official response (답변 / government response / committee referral) is owed:
 * - `none` — no response is due (threshold not reached, or never will be);
 * - `awaiting` — the response threshold was reached; a response is due (by `responseDueAt`, if the profile has a
 *   deadline);
 * - `overdue` — the deadline passed without an answer (marked by the lifecycle scheduler at `responseDueAt`; the
 *   answer is still owed);
 * - `answered` — the official response has been published (CWD "브리핑"; e-petitions `responded`).
 */
export const RESPONSE_STATES = ['none', 'awaiting', 'overdue', 'answered'] as const;

/** One of `RESPONSE_STATES`. Stored as this exact string (database `petitions.response_state`). */
export type ResponseState = (typeof RESPONSE_STATES)[number];

/**
 * Allowed response-track moves:
 * - none → awaiting (threshold crossed), none → answered (answer published before the threshold: allowed, the
 *   2020 n번방 answer came while the petitions were still open);
 * - awaiting → answered, awaiting → none (threshold undone: the count fell back below it, e.g. after a reconcile
 *   removed invalid agreements), awaiting → overdue (the deadline passed);
 * - overdue → answered (late), overdue → none (threshold undone);
 * - answered → nothing (an answer, once published, stays published).
 */
export const RESPONSE_TRANSITIONS: Readonly<Record<ResponseState, readonly ResponseState[]>> = {
  none: ['awaiting', 'answered'],
  awaiting: ['answered', 'none', 'overdue'],
  overdue: ['answered', 'none'],
  answered: [],
};

/** An official response is owed and not yet published (awaiting, or overdue past its deadline). */
export const RESPONSE_DUE_STATES = ['awaiting', 'overdue'] as const satisfies readonly ResponseState[];

/** True when an official response is owed and not yet published (`RESPONSE_DUE_STATES`). */
export function isResponseDue(state: ResponseState): boolean {
  return (RESPONSE_DUE_STATES as readonly ResponseState[]).includes(state);
}

/** The official response has been published (CWD "브리핑"; e-petitions `responded`). */
export const ANSWERED_RESPONSE_STATES = ['answered'] as const satisfies readonly ResponseState[];

/**
 * Response states a petition shows as a badge beside its lifecycle state: a response owed (awaiting, overdue) or
 * given (answered); `none` shows nothing.
 */
export const RESPONSE_BADGE_STATES = [
  'awaiting',
  'overdue',
  'answered',
] as const satisfies readonly ResponseState[];

/** True when the response track is shown as a badge (`RESPONSE_BADGE_STATES`). */
export function hasResponseBadge(state: ResponseState): state is (typeof RESPONSE_BADGE_STATES)[number] {
  return (RESPONSE_BADGE_STATES as readonly ResponseState[]).includes(state);
}

/** True when the official response has been published (`ANSWERED_RESPONSE_STATES`). */
export function isAnswered(state: ResponseState): boolean {
  return (ANSWERED_RESPONSE_STATES as readonly ResponseState[]).includes(state);
}

/**
 * The response deadline passed without an answer and the lifecycle scheduler marked it so (the answer is still
 * owed: a subset of `RESPONSE_DUE_STATES`). An `awaiting` petition whose `responseDueAt` lies in the past is overdue
 * too until the scheduler gets to it; readers that count overdue petitions add those by their deadline.
 */
export const OVERDUE_RESPONSE_STATES = ['overdue'] as const satisfies readonly ResponseState[];

/** True when the petition is marked overdue (`OVERDUE_RESPONSE_STATES`). */
export function isMarkedOverdue(state: ResponseState): boolean {
  return (OVERDUE_RESPONSE_STATES as readonly ResponseState[]).includes(state);
}

/** Type guard: `x` is one of the exact strings in `RESPONSE_STATES`. */
export function isResponseState(x: unknown): x is ResponseState {
  return typeof x === 'string' && (RESPONSE_STATES as readonly string[]).includes(x);
}

/** True when `RESPONSE_TRANSITIONS` allows `from → to`. `from === to` is always false. */
export function canResponseTransition(from: ResponseState, to: ResponseState): boolean {
  return RESPONSE_TRANSITIONS[from].includes(to);
}

/**
 * Refuses a response-track move that is not allowed.
 * @throws DomainError('invalid_transition') with details `{ track: 'response', from, to, allowed }`.
 */
export function assertResponseTransition(from: ResponseState, to: ResponseState): void {
  if (canResponseTransition(from, to)) return;
  const allowed = RESPONSE_TRANSITIONS[from];
  throw new DomainError(
    'invalid_transition',
    `A petition's response state cannot go from "${from}" to "${to}"; from "${from}" it may only go to ${
      allowed.length === 0 ? 'nothing (an answer stays published)' : allowed.map((s) => `"${s}"`).join(', ')
    }.`,
    { track: 'response', from, to, allowed: [...allowed] },
  );
}

/**
 * The response state implied by the stored timestamps (the same derivation e-petitions uses to backfill
 * `response_state`): answered when an answer was published, else awaiting when the response threshold is
 * currently reached, else none.
 *
 * @param p.answeredAt UTC instant the official response was published, or null
 * @param p.responseThresholdReachedAt UTC instant the response threshold was (still) reached, or null
 */
export function responseStateFor(p: {
  readonly answeredAt: Date | null;
  readonly responseThresholdReachedAt: Date | null;
}): ResponseState {
  if (p.answeredAt !== null) return 'answered';
  if (p.responseThresholdReachedAt !== null) return 'awaiting';
  return 'none';
}

/** Korean and English labels for the response track. */
export const RESPONSE_STATE_LABELS: Readonly<
  Record<ResponseState, { readonly ko: string; readonly en: string }>
> = {
  none: { ko: '답변 대상 아님', en: 'No response due' },
  awaiting: { ko: '답변 대기', en: 'Awaiting response' },
  overdue: { ko: '답변 지연', en: 'Response overdue' },
  answered: { ko: '답변 완료', en: 'Answered' },
};
