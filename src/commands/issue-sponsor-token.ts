import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { hashToken, TOKEN_BYTES, tokenFromBytes } from '../domain/tokens.js';
import { setSponsorTokenHash } from '../repositories/writes/agreements.js';

/**
 * Issues the creator's private pre-agreement link token for a petition (replacing any earlier one). Only its hash
 * is stored.
 * @returns the token, to be put in the link the creator shares: /petitions/<id>/sponsor?token=…
 */
export async function issueSponsorToken(deps: { db: Kysely<Database> }, petitionId: string): Promise<string> {
  const token = tokenFromBytes(randomBytes(TOKEN_BYTES));
  await setSponsorTokenHash(deps.db, petitionId, hashToken(token));
  return token;
}
