/**
 * Writes of petition creation (issue 6): a submission stored (petition, its creation record with the idempotency
 * key and emailed link, its creator's contact), the emailed link confirmed, a draft withdrawn, expired drafts purged.
 */
import { sql, type Transaction } from 'kysely';
import type { Database, NewPetitionText } from '../../db/schema.js';
import type { PetitionState } from '../../domain/petition-states.js';
import { searchColumns } from '../../domain/search-text.js';
import type { Executor } from '../petitions.js';

/** The state of a petition whose creator has not confirmed it yet (private, deletable). */
const DRAFT: PetitionState = 'draft';

/**
 * Stores a submitted petition in the caller's transaction: the petition row (`state`, with `collecting_since` when
 * it collects at once), its creation record (idempotency `submissionKey`, the emailed link's hash and expiry, or
 * `confirmedAt` when no link is needed) and its creator's contact.
 * @returns the new petition's id, or null when `submissionKey` was stored before — the caller must then roll the
 *   transaction back (the petition row was inserted already)
 */
export async function insertSubmission(
  trx: Transaction<Database>,
  s: {
    profile: string;
    category: string | null;
    title: string;
    body: string;
    state: PetitionState;
    collectingSince: Date | null;
    submissionKey: string;
    confirmation: { tokenHash: string; expiresAt: Date } | null;
    confirmedAt: Date | null;
    creator: { email: string; name: string; locale: 'ko' | 'en' };
  },
): Promise<string | null> {
  const petition = await trx
    .insertInto('petitions')
    .values({
      profile: s.profile,
      category: s.category,
      title: s.title,
      body: s.body,
      ...searchColumns(s.title, s.body),
      state: s.state,
      collecting_since: s.collectingSince,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const created = await trx
    .insertInto('petition_creations')
    .values({
      petition_id: petition.id,
      submission_key: s.submissionKey,
      confirmation_token_hash: s.confirmation?.tokenHash ?? null,
      token_expires_at: s.confirmation?.expiresAt ?? null,
      confirmed_at: s.confirmedAt,
    })
    .onConflict((oc) => oc.column('submission_key').doNothing())
    .returning('petition_id')
    .executeTakeFirst();
  if (!created) return null;
  await trx
    .insertInto('petition_creators')
    .values({ petition_id: petition.id, ...s.creator })
    .execute();
  return petition.id;
}

/**
 * Inserts a petition as given (no creator, no creation record: a demonstration petition opened by the CLI).
 * @returns its id
 */
export async function insertPetition(db: Executor, petition: NewPetitionText): Promise<string> {
  const row = await db
    .insertInto('petitions')
    .values({ ...petition, ...searchColumns(petition.title, petition.body) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Deletes a petition that is still a draft (never confirmed, never seen), with its creation and creator rows. */
export async function deleteDraft(db: Executor, petitionId: string): Promise<void> {
  await db.deleteFrom('petitions').where('id', '=', petitionId).where('state', '=', DRAFT).execute();
}

/** The creation behind an emailed link, locked for its confirmation (`FOR UPDATE`), or undefined. */
export async function lockCreationByTokenHash(
  trx: Transaction<Database>,
  tokenHash: string,
): Promise<
  | {
      id: string;
      state: PetitionState;
      sponsor_token_hash: string | null;
      confirmed_at: Date | null;
      token_expires_at: Date | null;
    }
  | undefined
> {
  return await trx
    .selectFrom('petition_creations')
    .innerJoin('petitions', 'petitions.id', 'petition_creations.petition_id')
    .select([
      'petitions.id',
      'petitions.state',
      'petitions.sponsor_token_hash',
      'petition_creations.confirmed_at',
      'petition_creations.token_expires_at',
    ])
    .where('confirmation_token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

/** Records a confirmed creation: the petition moves to `state` (collecting since `now`), the link is used. */
export async function confirmCreation(
  trx: Transaction<Database>,
  petitionId: string,
  state: PetitionState,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('petitions')
    .set({ state, collecting_since: now, updated_at: now })
    .where('id', '=', petitionId)
    .execute();
  await trx
    .updateTable('petition_creations')
    .set({ confirmed_at: now })
    .where('petition_id', '=', petitionId)
    .execute();
}

/**
 * Deletes the drafts whose emailed confirmation link expired unconfirmed before `before`, with their creators'
 * contact data.
 * @returns how many drafts were deleted
 */
export async function deleteExpiredDrafts(db: Executor, before: Date): Promise<number> {
  const result = await sql`
    delete from petitions where state = ${DRAFT} and id in (
      select petition_id from petition_creations
      where confirmed_at is null and token_expires_at < ${before.toISOString()}::timestamptz)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
