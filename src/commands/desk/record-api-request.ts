import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { insertApiRequest } from '../../repositories/writes/desk.js';

/**
 * Records one platform API request — which platform and key, which endpoint, when, and the answer's status — the
 * trail that makes the keys audited. Never the hashes asked about (a lookup's query is not kept unless it matched,
 * as a match).
 */
export async function recordApiRequest(
  db: Kysely<Database>,
  r: { at: Date; platformId: string | null; keyId: string | null; endpoint: string; status: number },
): Promise<void> {
  await insertApiRequest(db, r);
}
