/**
 * Writes of the signing path outside the agreement writer's batches: the emailed link of an unconfirmed agreement
 * reissued or put back, a pending agreement withdrawn when its mail could not be sent, the creator's pre-agreement
 * link token, and the purge of expired unconfirmed agreements. None of them moves a count (unconfirmed agreements
 * are not counted).
 */
import { sql } from 'kysely';
import type { Executor } from '../petitions.js';

/**
 * Gives an unconfirmed email agreement a new token (hash and expiry), unless its current token was issued after
 * `issuedBefore` (it expires later than `issuedBefore` + the link's lifetime, i.e. `token_expires_at` >
 * `issuedBefore`), all in one statement that locks the row.
 * @returns the token hash and expiry it replaced, or null when nothing was changed
 */
export async function reissueConfirmationToken(
  db: Executor,
  agreementId: string,
  token: { hash: string; expiresAt: Date },
  issuedBefore: Date,
): Promise<{ previousHash: string | null; previousExpiry: Date | null } | null> {
  const { rows } = await sql<{ previous_hash: string | null; previous_expiry: Date | null }>`
    with old as (
      select id, confirmation_token_hash, token_expires_at from agreements
      where id = ${agreementId} and confirmed_at is null and method = 'email'
        and token_expires_at <= ${issuedBefore.toISOString()}::timestamptz
      for update
    )
    update agreements a
    set confirmation_token_hash = ${token.hash}, token_expires_at = ${token.expiresAt.toISOString()}::timestamptz
    from old where a.id = old.id
    returning old.confirmation_token_hash as previous_hash, old.token_expires_at as previous_expiry`.execute(
    db,
  );
  const row = rows[0];
  return row ? { previousHash: row.previous_hash, previousExpiry: row.previous_expiry } : null;
}

/** Puts back an agreement's earlier token where its current one is still `currentHash` (a new mail never left). */
export async function restoreConfirmationToken(
  db: Executor,
  agreementId: string,
  currentHash: string,
  previous: { previousHash: string | null; previousExpiry: Date | null },
): Promise<void> {
  await db
    .updateTable('agreements')
    .set({ confirmation_token_hash: previous.previousHash, token_expires_at: previous.previousExpiry })
    .where('id', '=', agreementId)
    .where('confirmation_token_hash', '=', currentHash)
    .execute();
}

/** Deletes an agreement that was never confirmed (never counted), with its contact data. */
export async function deleteUnconfirmedAgreement(db: Executor, agreementId: string): Promise<void> {
  await db.deleteFrom('agreements').where('id', '=', agreementId).where('confirmed_at', 'is', null).execute();
}

/** Stores the hash of a petition's pre-agreement link token, replacing any earlier one. */
export async function setSponsorTokenHash(
  db: Executor,
  petitionId: string,
  tokenHash: string,
): Promise<void> {
  await db
    .updateTable('petitions')
    .set({ sponsor_token_hash: tokenHash })
    .where('id', '=', petitionId)
    .execute();
}

/**
 * Deletes up to `limit` agreements whose emailed link expired unconfirmed before `before`, with their contact
 * data; the delete re-checks the rows it locks (a link reissued meanwhile has a later expiry and is kept).
 * @returns how many were deleted
 */
export async function deleteExpiredUnconfirmedAgreements(
  db: Executor,
  before: Date,
  limit: number,
): Promise<number> {
  const at = before.toISOString();
  const result = await sql`
    delete from agreements where id in (
      select id from agreements
      where confirmed_at is null and token_expires_at < ${at}::timestamptz
      limit ${limit})
    and confirmed_at is null and token_expires_at < ${at}::timestamptz`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
