import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { hashToken } from '../domain/tokens.js';
import { deleteStaffSession } from '../repositories/writes/staff-accounts.js';

/** Ends a staff session (sign-out). Unknown tokens are ignored. One statement: no transaction needed. */
export async function signOutStaff(db: Kysely<Database>, token: string): Promise<void> {
  await deleteStaffSession(db, hashToken(token));
}
