/**
 * The SQL of the transparency log's keys and state on the database side (issue 13): petitions' tag keys K_p, the
 * log's signing key, the integrator's and publisher's reads and compare-and-swap writes. The leaves themselves are
 * stored by the agreement writer's batch statement (agreement-batches.ts), in the statement that counts them.
 */
import { sql } from 'kysely';
import type { Executor } from '../petitions.js';

/**
 * The sealed tag keys of these petitions' logs, creating the missing ones from `fresh` (only for petitions that
 * exist; a concurrent creator wins and its key is returned). A destroyed key is returned as null.
 * @param fresh a newly sealed key per petition id (used only where none exists)
 * @returns petition id → sealed key or null (destroyed); unknown petitions are absent
 */
export async function ensurePetitionLogKeys(
  db: Executor,
  fresh: ReadonlyMap<string, string>,
  now: Date,
): Promise<Map<string, string | null>> {
  if (fresh.size === 0) return new Map();
  const ids = [...fresh.keys()];
  await sql`
    insert into petition_logs (petition_id, key_ciphertext, created_at)
    select k.id, k.sealed, ${now.toISOString()}::timestamptz
    from unnest(${ids}::bigint[], ${[...fresh.values()]}::text[]) as k (id, sealed)
    join petitions p on p.id = k.id
    on conflict (petition_id) do nothing`.execute(db);
  const rows = await db
    .selectFrom('petition_logs')
    .select(['petition_id', 'key_ciphertext'])
    .where('petition_id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [String(r.petition_id), r.key_ciphertext]));
}

/**
 * Destroys a petition's log tag key K_p (with its signer data: afterwards nobody, this server included, can test
 * whether a person's signer key is behind a published tag). Its entries, tiles and checkpoints stay.
 * @returns true when a key was destroyed now (false: none, or already destroyed)
 */
export async function destroyPetitionLogKey(db: Executor, petitionId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('petition_logs')
    .set({ key_ciphertext: null, key_destroyed_at: now })
    .where('petition_id', '=', petitionId)
    .where('key_ciphertext', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
