import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isSessionTokenShape, STAFF_SESSION_HOURS, type StaffMember } from '../domain/staff.js';
import { staffForSessionHash } from '../repositories/staff-accounts.js';
import { insertStaffSession } from '../repositories/writes/staff-accounts.js';
import { hashToken } from '../signing/signing-service.js';

/**
 * Staff sessions: a random 256-bit token in an http-only cookie, stored only as its SHA-256, lasting
 * `STAFF_SESSION_HOURS` from sign-in. Used by the sign-in commands (which open one) and the staff guard (which reads
 * one).
 */

/**
 * Opens a session for `staffId` (after a verified sign-in), within the sign-in's transaction.
 * @returns the token for the cookie (shown once) and its expiry
 */
export async function openSession(
  db: Kysely<Database>,
  staffId: string,
  now: Date,
): Promise<{ token: string; staffId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + STAFF_SESSION_HOURS * 3600_000);
  await insertStaffSession(db, { tokenHash: hashToken(token), staffId, createdAt: now, expiresAt });
  return { token, staffId, expiresAt };
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
