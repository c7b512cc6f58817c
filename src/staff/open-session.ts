import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { insertStaffSession } from '../repositories/writes/staff-accounts.js';
import { newStaffSession } from './sessions.js';

/**
 * Opens a session for `staffId` after a verified sign-in, within the sign-in command's transaction (password or
 * OpenID Connect): a random 256-bit token, stored only as its SHA-256, lasting `STAFF_SESSION_HOURS`.
 * @returns the session token for the cookie and its expiry
 */
export async function openStaffSession(
  trx: Transaction<Database>,
  staffId: string,
  now: Date,
): Promise<{ token: string; staffId: string; expiresAt: Date }> {
  const session = newStaffSession(staffId, now);
  await insertStaffSession(trx, session);
  return { token: session.token, staffId, expiresAt: session.expiresAt };
}
