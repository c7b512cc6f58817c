/**
 * The public lists of petitions by where they stand, as petition.parliament.uk offers them (its `state` filter:
 * open, closed, rejected, awaiting response, with response, awaiting debate, debated, not debated): each list is
 * a set of petition states plus, where it matters, the response or debate track. One home for what each list
 * means; the list pages, search and the API take a list name and ask the repository with these sets.
 *
 * Petitions before publication (gathering support, awaiting moderation) have no list: their text is not yet
 * checked, so only their own page with its count answers (see `PRE_PUBLICATION_PAGE_STATES`).
 */
import type { ResponseState, StateGroup } from './petition-states.js';
import type { DebateState } from './response-track.js';

export const PUBLIC_LISTS = [
  'open',
  'closed',
  'rejected',
  'awaiting_response',
  'with_response',
  'awaiting_debate',
  'debate_scheduled',
  'debated',
  'not_debated',
] as const;

export type PublicList = (typeof PUBLIC_LISTS)[number];

export interface PublicListFilter {
  readonly states: StateGroup;
  readonly responseStates?: readonly ResponseState[];
  readonly debateStates?: readonly DebateState[];
}

/**
 * What each list holds. Rejected petitions are listed with their public reason (a title withheld by its reason
 * stays withheld there too); the track lists hold published petitions only.
 */
export const PUBLIC_LIST_FILTERS: Readonly<Record<PublicList, PublicListFilter>> = {
  open: { states: ['open'] },
  closed: { states: ['closed'] },
  rejected: { states: ['rejected'] },
  awaiting_response: { states: ['open', 'closed'], responseStates: ['awaiting', 'overdue'] },
  with_response: { states: ['open', 'closed'], responseStates: ['answered'] },
  awaiting_debate: { states: ['open', 'closed'], debateStates: ['awaiting'] },
  debate_scheduled: { states: ['open', 'closed'], debateStates: ['scheduled'] },
  debated: { states: ['open', 'closed'], debateStates: ['debated'] },
  not_debated: { states: ['open', 'closed'], debateStates: ['not_debated'] },
};

/** Lists that only mean something on a profile with the debate track. */
export const DEBATE_LISTS: readonly PublicList[] = [
  'awaiting_debate',
  'debate_scheduled',
  'debated',
  'not_debated',
];

/**
 * States whose page answers before publication, with the count and no text: gathering support (사전동의 /
 * sponsors) and awaiting moderation — petition.parliament.uk shows such pages to the people its creator shared the
 * link with.
 */
export const PRE_PUBLICATION_PAGE_STATES = [
  'collecting_pre_agreements',
  'in_review',
] as const satisfies StateGroup;

export function isPublicList(x: unknown): x is PublicList {
  return typeof x === 'string' && (PUBLIC_LISTS as readonly string[]).includes(x);
}
