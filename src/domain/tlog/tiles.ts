/**
 * C2SP tlog-tiles (https://c2sp.org/tlog-tiles): a log served as static, immutable tiles of height 8.
 *
 * - A tile at tile level L, index N holds up to 256 consecutive hashes of tree level 8·L: hash i is the node
 *   (level 8L, index 256N + i) in merkle.ts terms. Full tiles are 256 hashes (8,192 bytes) and never change;
 *   the right edge of each level is a partial tile of width W = floor(size / 256^L) mod 256 (1…255), served at
 *   `.p/<W>`. Empty tiles do not exist.
 * - Paths: `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, N in 3-digit groups, all but the last prefixed `x`
 *   (1234067 → `x001/x234/067`).
 * - Entry bundles: entries as big-endian uint16 length-prefixed byte strings, 256 per full bundle.
 *
 * `appendTiles` is what an integrator runs: from the previous size, the new leaf hashes and a way to read the
 * previous right-edge tiles, it returns the new and changed tiles and the new root. `tileNodeReader` turns stored
 * tiles back into a merkle.ts NodeReader, so proofs are computed from tiles. Pure: no I/O.
 */
import { HASH_SIZE, type Hash, type NodeId, type NodeReader, nodeHash, RootBuilder } from './merkle.js';

/** Tree levels per tile (C2SP fixes 8). */
export const TILE_HEIGHT = 8;
/** Hashes (or entries) in a full tile (or bundle). */
export const TILE_WIDTH = 256;

/** A tile's coordinates. width is 1…256; 256 is a full tile. Level -1 is not used: entry bundles are `Bundle`. */
export interface TileId {
  level: number;
  index: number;
  width: number;
}

/** Thrown on a malformed tile path, tile or entry bundle. */
export class TileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TileError';
  }
}

function encodeIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new TileError(`tile index ${index} is not a whole number`);
  let digits = String(index);
  while (digits.length % 3 !== 0) digits = `0${digits}`;
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

function widthSuffix(width: number | undefined): string {
  if (width === undefined || width === TILE_WIDTH) return '';
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new TileError(`tile width ${width}`);
  return `.p/${width}`;
}

/**
 * The path of a hash tile: `tile/<level>/<N>[.p/<width>]` (width omitted or 256 = full tile).
 * Throws TileError for a level outside 0…63, a negative index or a width outside 1…256.
 */
export function tilePath(level: number, index: number, width?: number): string {
  if (!Number.isInteger(level) || level < 0 || level > 63) throw new TileError(`tile level ${level}`);
  return `tile/${level}/${encodeIndex(index)}${widthSuffix(width)}`;
}

/** The path of an entry bundle: `tile/entries/<N>[.p/<width>]`. */
export function entriesPath(index: number, width?: number): string {
  return `tile/entries/${encodeIndex(index)}${widthSuffix(width)}`;
}

/**
 * Parses a tile or entry-bundle path (as produced by tilePath / entriesPath) into its coordinates;
 * `level` is 'entries' for an entry bundle. Returns null for anything else (leading zeros, missing `x`, width 0 or
 * 256 written as partial, …), so a server can answer 404 without guessing.
 */
export function parseTilePath(
  path: string,
): { level: number | 'entries'; index: number; width: number } | null {
  const m = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(
    path,
  );
  if (!m) return null;
  const level = m[1] === 'entries' ? 'entries' : Number(m[1]);
  if (typeof level === 'number' && level > 63) return null;
  const digits = (m[2] as string).replaceAll('x', '').replaceAll('/', '');
  // Canonical: no leading group of 000 unless the whole index is 0.
  if (digits.length > 3 && digits.startsWith('000')) return null;
  const index = Number(digits);
  if (!Number.isSafeInteger(index)) return null;
  const width = m[3] === undefined ? TILE_WIDTH : Number(m[3]);
  if (width < 1 || width >= TILE_WIDTH) {
    if (m[3] !== undefined) return null;
  }
  return { level, index, width };
}

/** Number of hashes at tile level `level` (tree level 8·level) in a tree of `size` leaves. */
export function hashesAtTileLevel(level: number, size: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/**
 * Every tile a tree of `size` leaves is served as (full tiles and the partial right edge of each level), lowest
 * level first. Level 0 tiles correspond one-to-one to entry bundles.
 */
export function tilesForSize(size: number): TileId[] {
  const tiles: TileId[] = [];
  for (let level = 0; ; level++) {
    const n = hashesAtTileLevel(level, size);
    if (n === 0) break;
    const full = Math.floor(n / TILE_WIDTH);
    for (let i = 0; i < full; i++) tiles.push({ level, index: i, width: TILE_WIDTH });
    if (n % TILE_WIDTH !== 0) tiles.push({ level, index: full, width: n % TILE_WIDTH });
  }
  return tiles;
}

/** The tile holding hash `hashIndex` of tile level `level` in a tree of `size`, with the width it has there. */
export function tileFor(level: number, hashIndex: number, size: number): TileId {
  const index = Math.floor(hashIndex / TILE_WIDTH);
  const n = hashesAtTileLevel(level, size);
  const width = Math.min(TILE_WIDTH, n - index * TILE_WIDTH);
  if (width <= 0)
    throw new TileError(`hash ${hashIndex} of tile level ${level} is not in a tree of size ${size}`);
  return { level, index, width };
}

/** The entry bundle holding entry `entryIndex` in a tree of `size`. */
export function bundleFor(entryIndex: number, size: number): TileId {
  return tileFor(0, entryIndex, size);
}

/**
 * Which tiles hold the given complete-subtree nodes (from merkle.ts inclusionProofNodes / consistencyProofNodes) in
 * a tree of `size` — the tiles a client must fetch to compute those proofs. Deduplicated, in first-use order.
 */
export function tilesForNodes(nodes: readonly NodeId[], size: number): TileId[] {
  const seen = new Map<string, TileId>();
  for (const node of nodes) {
    const level = Math.floor(node.level / TILE_HEIGHT);
    const r = node.level % TILE_HEIGHT;
    const tile = tileFor(level, node.index * 2 ** r, size);
    seen.set(`${tile.level}/${tile.index}/${tile.width}`, tile);
  }
  return [...seen.values()];
}

/** Splits tile bytes into its hashes. Throws TileError if the length is not width × 32. */
export function tileHashes(bytes: Uint8Array, width?: number): Hash[] {
  if (bytes.length % HASH_SIZE !== 0 || bytes.length === 0 || bytes.length > TILE_WIDTH * HASH_SIZE) {
    throw new TileError(`a tile of ${bytes.length} bytes is not 1…256 hashes`);
  }
  if (width !== undefined && bytes.length !== width * HASH_SIZE) {
    throw new TileError(`a tile of width ${width} must be ${width * HASH_SIZE} bytes, not ${bytes.length}`);
  }
  const out: Hash[] = [];
  for (let i = 0; i < bytes.length; i += HASH_SIZE) out.push(bytes.subarray(i, i + HASH_SIZE));
  return out;
}

/** Concatenates hashes into tile bytes. */
export function encodeTile(hashes: readonly Hash[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((h, i) => {
    out.set(h, i * HASH_SIZE);
  });
  return out;
}

/** The largest entry an entry bundle can carry (uint16 length prefix). */
export const MAX_ENTRY_SIZE = 0xffff;

/** Encodes entries as an entry bundle (big-endian uint16 length prefixes). Throws TileError on an oversize entry. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length > TILE_WIDTH) throw new TileError(`an entry bundle holds at most 256 entries`);
  let total = 0;
  for (const e of entries) {
    if (e.length > MAX_ENTRY_SIZE) throw new TileError(`an entry of ${e.length} bytes does not fit a bundle`);
    total += 2 + e.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >>> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/**
 * Decodes an entry bundle into its entries (views into `bytes`). Throws TileError on a truncated bundle, more than
 * 256 entries, or — when `width` is given — a different number of entries.
 */
export function decodeEntryBundle(bytes: Uint8Array, width?: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw new TileError('the entry bundle ends inside a length prefix');
    const len = ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
    if (at + 2 + len > bytes.length) throw new TileError('the entry bundle ends inside an entry');
    out.push(bytes.subarray(at + 2, at + 2 + len));
    at += 2 + len;
    if (out.length > TILE_WIDTH) throw new TileError('the entry bundle holds more than 256 entries');
  }
  if (width !== undefined && out.length !== width) {
    throw new TileError(`the entry bundle holds ${out.length} entries, not ${width}`);
  }
  return out;
}

/** Reads a stored tile's bytes (width × 32). Used by appendTiles to extend the previous right edge. */
export type TileReader = (level: number, index: number, width: number) => Uint8Array;

/** A tile to store: coordinates, its path and its bytes. */
export interface TileWrite extends TileId {
  path: string;
  bytes: Uint8Array;
}

/**
 * The tiles that change when a log grows from `oldSize` to `oldSize + newLeafHashes.length` leaves, and the new
 * root. For each tile level it reads the previous partial tile (if any) through `readTile`, appends the new hashes,
 * and returns every tile that now has more hashes than before: full tiles (width 256, immutable from then on) and
 * the new partial right edge (width 1…255, path `.p/<W>`). A level-L tile that becomes full contributes its root as
 * one new hash to level L+1. Only right-edge tiles are read: O(new leaves + 256·levels) work.
 *
 * Throws TileError if a read tile has the wrong length.
 */
export function appendTiles(
  oldSize: number,
  newLeafHashes: readonly Hash[],
  readTile: TileReader,
): { size: number; root: Hash; tiles: TileWrite[] } {
  const newSize = oldSize + newLeafHashes.length;
  const tiles: TileWrite[] = [];
  // Right-edge hashes of each level after the append, for the root.
  const edges: Hash[][] = [];
  let incoming: readonly Hash[] = newLeafHashes;
  for (let level = 0; ; level++) {
    const oldCount = hashesAtTileLevel(level, oldSize);
    const newCount = hashesAtTileLevel(level, newSize);
    if (newCount === 0) break;
    const firstTile = Math.floor(oldCount / TILE_WIDTH);
    const oldWidth = oldCount % TILE_WIDTH;
    const hashes: Hash[] = oldWidth > 0 ? tileHashes(readTile(level, firstTile, oldWidth), oldWidth) : [];
    if (incoming.length !== newCount - oldCount) {
      throw new TileError(`level ${level}: ${incoming.length} new hashes, expected ${newCount - oldCount}`);
    }
    for (const h of incoming) hashes.push(h);
    const next: Hash[] = [];
    for (let t = 0; t * TILE_WIDTH < hashes.length; t++) {
      const slice = hashes.slice(t * TILE_WIDTH, (t + 1) * TILE_WIDTH);
      const index = firstTile + t;
      if (t === 0 && slice.length === oldWidth) continue; // unchanged previous partial tile
      tiles.push({
        level,
        index,
        width: slice.length,
        path: tilePath(level, index, slice.length),
        bytes: encodeTile(slice),
      });
      if (slice.length === TILE_WIDTH) next.push(subtreeOfHashes(slice));
    }
    const edgeStart = Math.floor(newCount / TILE_WIDTH) * TILE_WIDTH - firstTile * TILE_WIDTH;
    edges.push(hashes.slice(edgeStart));
    incoming = next;
  }
  return { size: newSize, root: rootFromEdges(edges), tiles };
}

/** MTH of 2^k hashes of one level taken as leaves of a complete subtree. */
function subtreeOfHashes(hashes: readonly Hash[]): Hash {
  let layer = hashes as Hash[];
  while (layer.length > 1) {
    const up: Hash[] = [];
    for (let i = 0; i < layer.length; i += 2) up.push(nodeHash(layer[i] as Hash, layer[i + 1] as Hash));
    layer = up;
  }
  return layer[0] as Hash;
}

/**
 * The root from each level's right-edge partial hashes (level 0 first): the tree [0, size) decomposes into the
 * complete subtrees of the top level's hashes, then of each lower level's partial tile, left to right.
 */
function rootFromEdges(edges: readonly Hash[][]): Hash {
  const builder = new RootBuilder();
  for (let level = edges.length - 1; level >= 0; level--) {
    for (const h of edges[level] as Hash[]) builder.pushNode(h, level * TILE_HEIGHT);
  }
  return builder.root();
}

/** Reads the hashes of a tile that a tree of some size has: returns the tile's hashes (width of them). */
export type TileHashSource = (tile: TileId) => readonly Hash[];

/**
 * A merkle.ts NodeReader over the tiles of a tree of `size` leaves: node (level, index) is read from the tile at
 * tile level floor(level / 8) — directly when level is a multiple of 8, otherwise by hashing the 2^(level mod 8)
 * tile hashes under it. Throws TileError when asked for a node that is not complete at this size.
 */
export function tileNodeReader(size: number, source: TileHashSource): NodeReader {
  return (level, index) => {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const r = level % TILE_HEIGHT;
    const first = index * 2 ** r;
    const tile = tileFor(tileLevel, first, size);
    const hashes = source(tile);
    const offset = first - tile.index * TILE_WIDTH;
    const span = 2 ** r;
    if (offset + span > hashes.length) {
      throw new TileError(`node ${level}/${index} is not complete in a tree of size ${size}`);
    }
    return subtreeOfHashes(hashes.slice(offset, offset + span));
  };
}
