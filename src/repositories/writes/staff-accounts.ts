import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { DomainError } from '../../domain/errors.js';
import { isRecordNumber } from '../../domain/record-numbers.js';
import { type StaffRole, staffEmail } from '../../domain/staff.js';
import type { Executor } from '../petitions.js';

/** Inserts a staff account. @returns its id */
export async function insertStaffAccount(
  trx: Transaction<Database>,
  row: {
    email: string;
    displayName: string;
    roles: StaffRole[];
    passwordHash: string;
    totpSecretEnc: string;
  },
): Promise<string> {
  const inserted = await trx
    .insertInto('staff_accounts')
    .values({
      email: row.email,
      display_name: row.displayName,
      roles: row.roles,
      password_hash: row.passwordHash,
      totp_secret_enc: row.totpSecretEnc,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * The staff account named by id or email, locked for the transaction.
 * @throws DomainError('not_found') when there is none (or the id is not a record number)
 * @throws DomainError('invalid_email') for a malformed email
 */
export async function lockStaffAccount(
  trx: Transaction<Database>,
  who: { email?: string; staffId?: string },
) {
  let q = trx.selectFrom('staff_accounts').select(['id', 'email', 'roles', 'disabled_at']).forUpdate();
  if (who.staffId !== undefined) {
    if (!isRecordNumber(who.staffId)) throw new DomainError('not_found', '그런 직원 계정이 없습니다.');
    q = q.where('id', '=', who.staffId);
  } else q = q.where('email', '=', staffEmail(who.email ?? ''));
  const row = await q.executeTakeFirst();
  if (!row) throw new DomainError('not_found', '그런 직원 계정이 없습니다.');
  return row;
}

/** The sign-in fields of the staff account with this (normalised) email, locked for the transaction, or undefined. */
export async function lockStaffForSignIn(trx: Transaction<Database>, email: string) {
  return trx
    .selectFrom('staff_accounts')
    .select(['id', 'email', 'password_hash', 'totp_secret_enc', 'totp_last_step', 'disabled_at'])
    .where('email', '=', email)
    .forUpdate()
    .executeTakeFirst();
}

/** Replaces a staff member's roles. */
export async function updateStaffRoles(
  trx: Transaction<Database>,
  id: string,
  roles: StaffRole[],
): Promise<void> {
  await trx.updateTable('staff_accounts').set({ roles }).where('id', '=', id).execute();
}

/** Disables a staff account at `at`, ends its sessions and gives back its check-outs. */
export async function disableStaffAccount(trx: Transaction<Database>, id: string, at: Date): Promise<void> {
  await trx.updateTable('staff_accounts').set({ disabled_at: at }).where('id', '=', id).execute();
  await trx.deleteFrom('staff_sessions').where('staff_id', '=', id).execute();
  await trx.deleteFrom('moderation_checkouts').where('staff_id', '=', id).execute();
}

/** Remembers the last accepted TOTP time step of a staff member (codes of that step or earlier are replays). */
export async function setTotpLastStep(trx: Transaction<Database>, id: string, step: number): Promise<void> {
  await trx.updateTable('staff_accounts').set({ totp_last_step: step }).where('id', '=', id).execute();
}

/** Stores a staff session by the SHA-256 of its token. */
export async function insertStaffSession(
  db: Executor,
  row: { tokenHash: string; staffId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('staff_sessions')
    .values({
      token_hash: row.tokenHash,
      staff_id: row.staffId,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
    })
    .execute();
}

/** Deletes a staff session by the SHA-256 of its token (unknown ones are ignored). */
export async function deleteStaffSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', tokenHash).execute();
}

/** Links an OpenID Connect identity (issuer, sub) to a staff account. */
export async function linkOidcIdentity(
  trx: Transaction<Database>,
  row: { staffId: string; issuer: string; subject: string },
): Promise<void> {
  await trx
    .insertInto('staff_oidc_identities')
    .values({ staff_id: row.staffId, issuer: row.issuer, subject: row.subject })
    .execute();
}
