/**
 * Reads of the signing path: the petition behind a creator's private pre-agreement link, a petition's title for
 * the confirmation mail. (The agreement writer's own reads are in writes/agreement-batches.ts: they run in its
 * batch transactions.)
 */
import type { PetitionState, StateGroup } from '../domain/petition-states.js';
import type { Executor } from './petitions.js';

/** True when `tokenHash` (SHA-256 hex) is the pre-agreement link token of petition `petitionId`. */
export async function isSponsorTokenOf(
  db: Executor,
  petitionId: string,
  tokenHash: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('petitions')
    .select('id')
    .where('id', '=', petitionId)
    .where('sponsor_token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row !== undefined;
}

/** What the creator's private pre-agreement page shows. */
export interface SponsorPagePetition {
  id: string;
  title: string;
  body: string | null;
  state: PetitionState;
  profile: string;
  review_started_at: Date | null;
}

/**
 * The petition whose pre-agreement link token hashes to `tokenHash`, when it is in one of `states`; else
 * undefined (a wrong link and an unknown petition look the same).
 */
export async function findSponsorPagePetition(
  db: Executor,
  petitionId: string,
  tokenHash: string,
  states: StateGroup,
): Promise<SponsorPagePetition | undefined> {
  return await db
    .selectFrom('petitions')
    .select(['id', 'title', 'body', 'state', 'profile', 'review_started_at'])
    .where('id', '=', petitionId)
    .where('state', 'in', states)
    .where('sponsor_token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * The title of a petition.
 * @throws NoResultError when there is no such petition
 */
export async function petitionTitle(db: Executor, petitionId: string): Promise<string> {
  const row = await db
    .selectFrom('petitions')
    .select('title')
    .where('id', '=', petitionId)
    .executeTakeFirstOrThrow();
  return row.title;
}

/** What the page of an emailed confirmation link says before its button is pressed. */
export interface ConfirmationLink {
  petitionId: string;
  title: string;
  /** The agreement was already confirmed (the link was used). */
  confirmed: boolean;
}

/**
 * The petition and state of the email agreement whose confirmation link token hashes to `tokenHash` (SHA-256 hex);
 * undefined when no agreement has that link (never sent, or deleted after it expired unconfirmed).
 */
export async function findConfirmationLink(
  db: Executor,
  tokenHash: string,
): Promise<ConfirmationLink | undefined> {
  const row = await db
    .selectFrom('agreements as a')
    .innerJoin('petitions as p', 'p.id', 'a.petition_id')
    .select(['a.petition_id', 'p.title', 'a.confirmed_at'])
    .where('a.confirmation_token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { petitionId: row.petition_id, title: row.title, confirmed: row.confirmed_at !== null };
}
