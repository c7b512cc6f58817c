import type { StaffMember } from '../domain/staff.js';
import type { Executor } from './petitions.js';

/** The id of the staff account with this (normalised) email, or undefined. */
export async function staffIdByEmail(db: Executor, email: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('staff_accounts')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  return row?.id;
}

/** The staff member of a live session, by the SHA-256 of its token (not expired at `now`, account enabled), or null. */
export async function staffForSessionHash(
  db: Executor,
  tokenHash: string,
  now: Date,
): Promise<StaffMember | null> {
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_accounts as a', 'a.id', 's.staff_id')
    .select(['a.id', 'a.email', 'a.display_name', 'a.roles'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('a.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { id: row.id, email: row.email, displayName: row.display_name, roles: row.roles } : null;
}

/** Staff accounts for the administrator's list, oldest first. */
export async function listStaff(db: Executor) {
  return db
    .selectFrom('staff_accounts')
    .select(['id', 'email', 'display_name', 'roles', 'disabled_at', 'created_at'])
    .orderBy('id')
    .execute();
}

/** The staff account linked to an OpenID Connect identity (issuer, sub), with its disabled time, or undefined. */
export async function staffByOidcIdentity(db: Executor, identity: { issuer: string; subject: string }) {
  return db
    .selectFrom('staff_oidc_identities as i')
    .innerJoin('staff_accounts as a', 'a.id', 'i.staff_id')
    .select(['a.id', 'a.disabled_at'])
    .where('i.issuer', '=', identity.issuer)
    .where('i.subject', '=', identity.subject)
    .executeTakeFirst();
}

/** The enabled staff account with this (normalised) email, or undefined. */
export async function enabledStaffByEmail(db: Executor, email: string) {
  return db
    .selectFrom('staff_accounts')
    .select(['id', 'email'])
    .where('email', '=', email)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}
