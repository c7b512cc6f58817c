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

/** A log signing key as stored: its role, note key name, sealed skey and public vkey. */
export interface StoredLogSigner {
  role: 'petitions' | 'heads';
  name: string;
  key_ciphertext: string;
  vkey: string;
}

/**
 * The deployment's log signing keys, creating each missing role from `fresh` (a concurrent creator wins).
 * @returns the stored keys by role
 */
export async function ensureLogSigners(
  db: Executor,
  fresh: readonly StoredLogSigner[],
  now: Date,
): Promise<StoredLogSigner[]> {
  if (fresh.length > 0) {
    await db
      .insertInto('log_signer')
      .values(fresh.map((f) => ({ ...f, created_at: now })))
      .onConflict((oc) => oc.column('role').doNothing())
      .execute();
  }
  return await db.selectFrom('log_signer').select(['role', 'name', 'key_ciphertext', 'vkey']).execute();
}

/** A petition log whose entries run ahead of its latest signed checkpoint (sizes as numbers). */
export interface LogBehind {
  petitionId: string;
  logSize: number;
  signedSize: number;
  signedRoot: Buffer | null;
}

/** Petition logs with entries not yet in a signed checkpoint, at most `limit`, the furthest behind first. */
export async function listLogsBehind(db: Executor, limit: number): Promise<LogBehind[]> {
  const rows = await sql<{
    petition_id: string;
    log_size: string;
    signed_size: string;
    signed_root: Buffer | null;
  }>`
    select l.petition_id::text, p.log_size::text, l.signed_size::text, l.signed_root
    from petition_logs l join petitions p on p.id = l.petition_id
    where p.log_size > l.signed_size
    order by p.log_size - l.signed_size desc
    limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    petitionId: r.petition_id,
    logSize: Number(r.log_size),
    signedSize: Number(r.signed_size),
    signedRoot: r.signed_root,
  }));
}

/**
 * Stores tiles of `log`. Tiles are immutable and a function of the log alone: one already stored is kept (its
 * bytes are the same).
 */
export async function storeTiles(
  db: Executor,
  log: string,
  tiles: ReadonlyArray<{ path: string; bytes: Uint8Array }>,
): Promise<void> {
  for (let i = 0; i < tiles.length; i += 500) {
    await db
      .insertInto('log_tiles')
      .values(tiles.slice(i, i + 500).map((t) => ({ log, path: t.path, data: Buffer.from(t.bytes) })))
      .onConflict((oc) => oc.columns(['log', 'path']).doNothing())
      .execute();
  }
}

/**
 * Replaces a petition's latest signed checkpoint by compare-and-swap: only if the stored one is still `expected`
 * (size and root), so a checkpoint is stored only over the one it was built to extend.
 * @returns true when stored; false when another signer moved it meanwhile (nothing changed)
 */
export async function swapPetitionCheckpoint(
  db: Executor,
  petitionId: string,
  expected: { size: number; root: Uint8Array | null },
  next: { size: number; root: Uint8Array; note: string },
  now: Date,
): Promise<boolean> {
  const result = await sql`
    update petition_logs
    set signed_size = ${next.size}, signed_root = ${Buffer.from(next.root)}, checkpoint = ${next.note},
        signed_at = ${now.toISOString()}::timestamptz
    where petition_id = ${petitionId} and signed_size = ${expected.size}
      and signed_root is not distinct from ${expected.root ? Buffer.from(expected.root) : null}::bytea`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0) === 1;
}

/** Petition checkpoints signed since the publisher last appended them to the heads log (at most `limit`). */
export async function listUnpublishedCheckpoints(
  db: Executor,
  limit: number,
): Promise<Array<{ petitionId: string; size: number; note: string }>> {
  const rows = await sql<{ petition_id: string; signed_size: string; checkpoint: string }>`
    select petition_id::text, signed_size::text, checkpoint from petition_logs
    where signed_size > published_size and checkpoint is not null
    order by petition_id limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    petitionId: r.petition_id,
    size: Number(r.signed_size),
    note: r.checkpoint,
  }));
}

/**
 * Appends entries to the heads log and stores its new signed checkpoint, by compare-and-swap on its size and root,
 * and marks the petition checkpoints appended as published — in the caller's transaction.
 * @returns false (nothing written) when the heads log moved since `expected` was read
 */
export async function appendHeads(
  db: Executor,
  expected: { size: number; root: Uint8Array | null },
  entries: readonly Uint8Array[],
  next: { size: number; root: Uint8Array; note: string },
  published: ReadonlyArray<{ petitionId: string; size: number }>,
  now: Date,
): Promise<boolean> {
  const swapped = await sql`
    update heads_log set size = ${next.size}, root = ${Buffer.from(next.root)}, checkpoint = ${next.note},
      signed_at = ${now.toISOString()}::timestamptz
    where id = 1 and size = ${expected.size}
      and root is not distinct from ${expected.root ? Buffer.from(expected.root) : null}::bytea`.execute(db);
  if (Number(swapped.numAffectedRows ?? 0) !== 1) return false;
  if (entries.length > 0) {
    await sql`
      insert into heads_entries (idx, entry)
      select ${expected.size}::bigint + i - 1, e
      from unnest(${entries.map((e) => Buffer.from(e))}::bytea[]) with ordinality as x (e, i)`.execute(db);
  }
  if (published.length > 0) {
    await sql`
      update petition_logs l set published_size = greatest(l.published_size, x.size)
      from unnest(${published.map((p) => p.petitionId)}::bigint[], ${published.map((p) => p.size)}::bigint[])
        as x (id, size)
      where l.petition_id = x.id`.execute(db);
  }
  return true;
}

/** Stores a cosigned heads checkpoint of `size` unless a larger one is stored already. */
export async function storeCosignedHeads(db: Executor, size: number, note: string): Promise<void> {
  await sql`
    update heads_log set cosigned_checkpoint = ${note}, cosigned_size = ${size}
    where id = 1 and (cosigned_size is null or cosigned_size <= ${size})`.execute(db);
}
