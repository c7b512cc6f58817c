import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isSessionTokenShape, STAFF_SESSION_HOURS, type StaffMember } from '../domain/staff.js';
import { hashToken } from '../domain/tokens.js';
import { staffForSessionHash } from '../repositories/staff-accounts.js';

/**
 * Staff sessions: a random 256-bit token in an http-only cookie, stored only as its SHA-256, lasting
 * `STAFF_SESSION_HOURS` from sign-in. The sign-in commands store one (`newStaffSession`, then
 * `insertStaffSession`); the staff guard reads one (`staffForSession`).
 */

/** A new session for `staffId` starting at `now`: the token for the cookie, the hash to store and its expiry. */
export function newStaffSession(
  staffId: string,
  now: Date,
): { token: string; tokenHash: string; staffId: string; createdAt: Date; expiresAt: Date } {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + STAFF_SESSION_HOURS * 3600_000);
  return { token, tokenHash: hashToken(token), staffId, createdAt: now, expiresAt };
}

/** The staff member of a live session (not expired at `now`, account not disabled), or null. */
export async function staffForSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<StaffMember | null> {
  if (!isSessionTokenShape(token)) return null;
  return staffForSessionHash(db, hashToken(token), now);
}
