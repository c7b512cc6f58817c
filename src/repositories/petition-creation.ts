/** Reads of petition creation (issue 6): an earlier submission of a form, a petition's creator. */
import type { PetitionState } from '../domain/petition-states.js';
import type { Executor } from './petitions.js';

/** The petition an earlier submission of the form with `submissionKey` created, or undefined. */
export async function findSubmission(
  db: Executor,
  submissionKey: string,
): Promise<{ id: string; state: PetitionState } | undefined> {
  return await db
    .selectFrom('petition_creations')
    .innerJoin('petitions', 'petitions.id', 'petition_creations.petition_id')
    .select(['petitions.id', 'petitions.state'])
    .where('submission_key', '=', submissionKey)
    .executeTakeFirst();
}

/**
 * A petition with its creator's contact (for the creator's mail).
 * @throws NoResultError when the petition or its creator row does not exist
 */
export async function findPetitionWithCreator(
  db: Executor,
  petitionId: string,
): Promise<{ title: string; profile: string; email: string; name: string; locale: 'ko' | 'en' }> {
  return await db
    .selectFrom('petitions')
    .innerJoin('petition_creators', 'petition_creators.petition_id', 'petitions.id')
    .select([
      'petitions.title',
      'petitions.profile',
      'petition_creators.email',
      'petition_creators.name',
      'locale',
    ])
    .where('petitions.id', '=', petitionId)
    .executeTakeFirstOrThrow();
}
