import { parseCheckpoint } from '../domain/tlog/checkpoint.js';
import { inclusionProof, inclusionProofNodes } from '../domain/tlog/merkle.js';
import { splitNote } from '../domain/tlog/note.js';
import { type TileId, tileHashes, tileNodeReader, tilePath, tilesForNodes } from '../domain/tlog/tiles.js';
import { formatTlogProof } from '../domain/tlog/tlog-proof.js';
import type { Executor } from '../repositories/petitions.js';
import { findPetitionCheckpoint, readLogEntries, readTiles } from '../repositories/transparency-log.js';
import { petitionTileLog } from './integrator.js';

/**
 * The C2SP tlog-proof bundle (`.tlog-proof`) of entry `index` of a petition's log against its latest signed
 * checkpoint: the inclusion proof read from the stored tiles, the checkpoint note verbatim, and the entry itself as
 * `extra` (a receipt holder checks the commitment in it against their secret; src/domain/tlog/tlog-proof.ts).
 * @returns the bundle text, or null when the entry is not in a signed checkpoint yet (or does not exist)
 */
export async function petitionEntryProof(
  db: Executor,
  petitionId: string,
  index: number,
): Promise<string | null> {
  const latest = await findPetitionCheckpoint(db, petitionId);
  if (!latest || index >= latest.size) return null;
  const { size } = parseCheckpoint(splitNote(latest.note).text);
  const [entry] = await readLogEntries(db, petitionId, index, index + 1);
  if (!entry) return null;
  const pathOf = (t: TileId) => tilePath(t.level, t.index, t.width);
  const needed = tilesForNodes(inclusionProofNodes(index, size), size);
  const tiles = await readTiles(db, petitionTileLog(petitionId), needed.map(pathOf));
  const proof = inclusionProof(
    index,
    size,
    tileNodeReader(size, (t) => {
      const bytes = tiles.get(pathOf(t));
      if (!bytes) throw new Error(`petition ${petitionId}: tile ${pathOf(t)} is missing`);
      return tileHashes(bytes, t.width);
    }),
  );
  return formatTlogProof({ extra: entry.entry, index, proof, checkpoint: latest.note });
}
