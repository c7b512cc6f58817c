/**
 * The heads log, as the verifier reads it: its witnessed checkpoint, the latest entry it holds for one petition,
 * and the inclusion of that entry in the witnessed tree — computed from the heads tiles the proof needs, nothing
 * more.
 */
import type { Checkpoint } from '../domain/tlog/checkpoint.js';
import {
  type Hash,
  inclusionProof,
  inclusionProofNodes,
  leafHash,
  MerkleProofError,
  verifyInclusion,
} from '../domain/tlog/merkle.js';
import { CheckpointVerificationError, type VerifiedCheckpoint } from '../domain/tlog/policy.js';
import { type LogKeys, parseHeadsEntry, verifyHeadsCheckpoint } from '../domain/tlog/site-log.js';
import {
  bundleFor,
  TILE_WIDTH,
  type TileId,
  tileNodeReader,
  tilePath,
  tilesForNodes,
} from '../domain/tlog/tiles.js';
import { VerifyFailure } from './outcome.js';
import { type LogSource, needText, readBundle, readTile } from './source.js';

export const HEADS_PREFIX = 'log/heads';

/** Maps a checkpoint refusal to the verifier's failure kinds. */
export function checkpointFailure(e: unknown, what: string): never {
  if (e instanceof CheckpointVerificationError) {
    if (e.code === 'no-quorum') throw new VerifyFailure('no-quorum', `${what}: ${e.message}`);
    throw new VerifyFailure('bad-signature', `${what}: ${e.message}`);
  }
  throw e;
}

/** Fetches and verifies the heads checkpoint (heads key + witness quorum). */
export async function witnessedHeads(
  source: LogSource,
  keys: LogKeys,
  nowSeconds?: number,
): Promise<VerifiedCheckpoint> {
  const note = await needText(source, `${HEADS_PREFIX}/checkpoint`);
  try {
    return verifyHeadsCheckpoint(note, keys, nowSeconds);
  } catch (e) {
    return checkpointFailure(e, 'the heads checkpoint');
  }
}

/** A heads entry found for a petition. */
export interface HeadsEntry {
  index: number;
  entry: Uint8Array;
  checkpoint: Checkpoint;
}

/**
 * The latest heads entry (highest index below `headsSize`) whose origin is `origin`, scanning entry bundles from the
 * end (recent petitions are found in the last bundle). Null when the heads log has none. `onBundle` reports
 * progress. Malformed heads entries are skipped: the heads log's own integrity is checked by inclusion proofs.
 */
export async function findLatestHeadsEntry(
  source: LogSource,
  headsSize: number,
  origin: string,
  onBundle?: (scanned: number, total: number) => void,
): Promise<HeadsEntry | null> {
  const total = Math.ceil(headsSize / TILE_WIDTH);
  for (let b = total - 1; b >= 0; b--) {
    const width = bundleFor(b * TILE_WIDTH, headsSize).width;
    const entries = await readBundle(source, HEADS_PREFIX, b, width);
    onBundle?.(total - b, total);
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i] as Uint8Array;
      let checkpoint: Checkpoint;
      try {
        checkpoint = parseHeadsEntry(entry);
      } catch {
        continue;
      }
      if (checkpoint.origin === origin) return { index: b * TILE_WIDTH + i, entry, checkpoint };
    }
  }
  return null;
}

/**
 * Reads the tiles a proof over a tree of `size` needs, into a tile reader (tiles.ts tileNodeReader). `latestSize`,
 * when the log has grown since, lets a partial tile that was replaced be read from its successor.
 */
export async function tileReaderFor(
  source: LogSource,
  prefix: string,
  size: number,
  tiles: readonly TileId[],
  latestSize?: number,
): Promise<ReturnType<typeof tileNodeReader>> {
  const got = new Map<string, Hash[]>();
  await Promise.all(
    tiles.map(async (t) => {
      // A partial tile of an older size may be gone; the latest size's (wider) tile starts with the same hashes.
      let wider: number | undefined;
      if (latestSize !== undefined && latestSize > size) {
        const n = Math.floor(latestSize / TILE_WIDTH ** t.level);
        wider = Math.min(TILE_WIDTH, n - t.index * TILE_WIDTH);
      }
      got.set(tilePath(t.level, t.index, t.width), await readTile(source, prefix, t, wider));
    }),
  );
  return tileNodeReader(size, (t) => {
    const h = got.get(tilePath(t.level, t.index, t.width));
    if (!h) throw new VerifyFailure('usage', `tile ${tilePath(t.level, t.index, t.width)} was not fetched`);
    return h;
  });
}

/**
 * Checks that heads entry `index` (bytes `entry`) is in the heads tree of `size` with `root`, from the heads tiles.
 * Throws VerifyFailure('dropped-leaf') when it is not: the heads files do not match the witnessed checkpoint.
 * Returns the number of tiles read.
 */
export async function proveHeadsInclusion(
  source: LogSource,
  index: number,
  entry: Uint8Array,
  size: number,
  root: Hash,
): Promise<number> {
  const tiles = tilesForNodes(inclusionProofNodes(index, size), size);
  const reader = await tileReaderFor(source, HEADS_PREFIX, size, tiles);
  try {
    verifyInclusion(index, size, leafHash(entry), inclusionProof(index, size, reader), root);
  } catch (e) {
    if (e instanceof MerkleProofError) {
      throw new VerifyFailure(
        'dropped-leaf',
        `heads entry ${index} is not in the witnessed heads tree (${e.message}): the heads files were changed`,
      );
    }
    throw e;
  }
  return tiles.length;
}
