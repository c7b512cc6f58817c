/**
 * Reads of the transparency log (issue 13) for the web and the integrator: entries, tiles, checkpoints, the heads
 * log. Writes are in writes/transparency-log.ts.
 */
import type { Executor } from './petitions.js';

/** A petition log's entries with indices in [from, to), in index order. */
export async function readLogEntries(
  db: Executor,
  petitionId: string,
  from: number,
  to: number,
): Promise<Array<{ idx: number; entry: Buffer }>> {
  const rows = await db
    .selectFrom('log_entries')
    .select(['idx', 'entry'])
    .where('petition_id', '=', petitionId)
    .where('idx', '>=', String(from))
    .where('idx', '<', String(to))
    .orderBy('idx')
    .execute();
  return rows.map((r) => ({ idx: Number(r.idx), entry: r.entry }));
}

/** Stored tiles of `log` among `paths` (path → bytes). */
export async function readTiles(db: Executor, log: string, paths: string[]): Promise<Map<string, Buffer>> {
  if (paths.length === 0) return new Map();
  const rows = await db
    .selectFrom('log_tiles')
    .select(['path', 'data'])
    .where('log', '=', log)
    .where('path', 'in', paths)
    .execute();
  return new Map(rows.map((r) => [r.path, r.data]));
}

/** A petition's latest signed checkpoint (note text), or undefined when none was signed yet. */
export async function findPetitionCheckpoint(
  db: Executor,
  petitionId: string,
): Promise<{ size: number; note: string } | undefined> {
  const row = await db
    .selectFrom('petition_logs')
    .select(['signed_size', 'checkpoint'])
    .where('petition_id', '=', petitionId)
    .executeTakeFirst();
  return row?.checkpoint ? { size: Number(row.signed_size), note: row.checkpoint } : undefined;
}

/** The heads log's state: size, root, latest signed and latest cosigned checkpoint. */
export async function findHeadsState(db: Executor): Promise<{
  size: number;
  root: Buffer | null;
  checkpoint: string | null;
  cosigned: string | null;
  cosignedSize: number | null;
}> {
  const row = await db.selectFrom('heads_log').selectAll().executeTakeFirstOrThrow();
  return {
    size: Number(row.size),
    root: row.root,
    checkpoint: row.checkpoint,
    cosigned: row.cosigned_checkpoint,
    cosignedSize: row.cosigned_size === null ? null : Number(row.cosigned_size),
  };
}

/** Heads-log entries with indices in [from, to), in order. */
export async function readHeadsEntries(db: Executor, from: number, to: number): Promise<Buffer[]> {
  const rows = await db
    .selectFrom('heads_entries')
    .select('entry')
    .where('idx', '>=', String(from))
    .where('idx', '<', String(to))
    .orderBy('idx')
    .execute();
  return rows.map((r) => r.entry);
}

/** The stored bytes of one tile of `log` ('heads' or 'petitions/<id>'), or undefined. */
export async function findTile(db: Executor, log: string, path: string): Promise<Buffer | undefined> {
  return (await readTiles(db, log, [path])).get(path);
}
