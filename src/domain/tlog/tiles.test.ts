import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  consistencyProofNodes,
  type Hash,
  inclusionProof,
  inclusionProofNodes,
  leafHash,
  memoryNodeReader,
  RootBuilder,
} from './merkle.js';
import {
  appendTiles,
  decodeEntryBundle,
  encodeEntryBundle,
  entriesPath,
  parseTilePath,
  TileError,
  type TileId,
  tileHashes,
  tileNodeReader,
  tilePath,
  tilesForNodes,
  tilesForSize,
} from './tiles.js';

const vectors = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../test/fixtures/tlog/note/vectors.json'), 'utf8'),
) as {
  c2sp: { tilePathExample: { index: number; encoded: string }; tileCountsExample: Record<string, number> };
};

describe('tile paths (C2SP tlog-tiles)', () => {
  it('encodes indexes in x-prefixed 3-digit groups, as the spec example', () => {
    const ex = vectors.c2sp.tilePathExample;
    expect(tilePath(0, ex.index)).toBe(`tile/0/${ex.encoded}`);
    expect(tilePath(0, 1234, 256)).toBe('tile/0/x001/234');
    expect(tilePath(2, 5, 17)).toBe('tile/2/005.p/17');
    expect(entriesPath(0, 3)).toBe('tile/entries/000.p/3');
    expect(entriesPath(1000)).toBe('tile/entries/x001/000');
  });

  it('parses what it formats and refuses non-canonical paths', () => {
    expect(parseTilePath('tile/0/x001/x234/067')).toEqual({ level: 0, index: 1234067, width: 256 });
    expect(parseTilePath('tile/entries/000.p/3')).toEqual({ level: 'entries', index: 0, width: 3 });
    for (const bad of [
      'tile/0/1234',
      'tile/0/x001',
      'tile/00/001',
      'tile/0/001.p/0',
      'tile/0/001.p/256',
      'tile/0/x000/001',
      'tile/64/001',
      '../tile/0/001',
    ]) {
      expect(parseTilePath(bad), bad).toBeNull();
    }
    expect(() => tilePath(0, 1, 0)).toThrow(TileError);
  });

  it('a tree of 70,000 has the tiles the spec lists', () => {
    const c = vectors.c2sp.tileCountsExample;
    const tiles = tilesForSize(c.size as number);
    const at = (level: number, full: boolean) =>
      tiles.filter((t) => t.level === level && (t.width === 256) === full);
    expect(at(0, true)).toHaveLength(c.fullLevel0 as number);
    expect(at(0, false).map((t) => t.width)).toEqual([c.partialLevel0]);
    expect(at(1, true)).toHaveLength(c.fullLevel1 as number);
    expect(at(1, false).map((t) => t.width)).toEqual([c.partialLevel1]);
    expect(at(2, false).map((t) => t.width)).toEqual([c.partialLevel2]);
    expect(tilesForSize(256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
  });
});

describe('entry bundles', () => {
  it('round-trips length-prefixed entries and refuses truncation', () => {
    const entries = [new Uint8Array([1, 2, 3]), new Uint8Array(), new Uint8Array(300).fill(7)];
    const bundle = encodeEntryBundle(entries);
    expect(bundle.slice(0, 5)).toEqual(new Uint8Array([0, 3, 1, 2, 3]));
    expect(decodeEntryBundle(bundle, 3)).toEqual(entries);
    expect(() => decodeEntryBundle(bundle.subarray(0, bundle.length - 1))).toThrow(TileError);
    expect(() => decodeEntryBundle(bundle, 4)).toThrow(/3 entries, not 4/);
  });
});

/** A tile store in memory: what an integrator would write to files or rows. */
function store() {
  const tiles = new Map<string, Uint8Array>();
  return {
    tiles,
    read: (level: number, index: number, width: number) => {
      const t = tiles.get(tilePath(level, index, width));
      if (!t) throw new Error(`missing ${tilePath(level, index, width)}`);
      return t;
    },
    source: (t: TileId) => {
      const bytes = tiles.get(tilePath(t.level, t.index, t.width));
      if (!bytes) throw new Error(`missing ${tilePath(t.level, t.index, t.width)}`);
      return tileHashes(bytes, t.width);
    },
  };
}

describe('appendTiles (the integrator step)', () => {
  const leaves = Array.from({ length: 70_000 }, (_, i) =>
    leafHash(new Uint8Array([i & 255, (i >> 8) & 255, i >> 16])),
  );

  it('grows a log batch by batch to the same root as hashing everything, writing only the tiles that changed', () => {
    const s = store();
    let size = 0;
    const batches = [1, 254, 1, 1, 300, 65_536 - 557, 1, 3_000, 1_000, 706];
    let writes = 0;
    const reference = new RootBuilder();
    for (const n of batches) {
      for (const l of leaves.slice(size, size + n)) reference.push(l);
      const out = appendTiles(size, leaves.slice(size, size + n), s.read);
      for (const t of out.tiles) s.tiles.set(t.path, t.bytes);
      writes += out.tiles.length;
      size = out.size;
      expect(Buffer.from(out.root)).toEqual(Buffer.from(reference.root()));
      // Every tile a reader of this size needs is there.
      for (const t of tilesForSize(size)) expect(s.tiles.has(tilePath(t.level, t.index, t.width))).toBe(true);
    }
    expect(size).toBe(70_000);
    expect(writes).toBeLessThan(tilesForSize(70_000).length + 3 * batches.length);
    expect(appendTiles(size, [], s.read).tiles).toEqual([]);
  });

  it('serves inclusion and consistency proofs from tiles, reading only the tiles named in advance', () => {
    const s = store();
    const out = appendTiles(0, leaves.slice(0, 66_000), s.read);
    for (const t of out.tiles) s.tiles.set(t.path, t.bytes);
    const mem = memoryNodeReader(leaves.slice(0, 66_000));
    for (const [i, n] of [
      [0, 66_000],
      [65_535, 66_000],
      [65_999, 66_000],
      [300, 65_536],
      [12_345, 40_000],
    ] as const) {
      const needed = tilesForNodes(inclusionProofNodes(i, n), n);
      const used = new Set<string>();
      const reader = tileNodeReader(n, (t) => {
        used.add(tilePath(t.level, t.index, t.width));
        return s.source(t);
      });
      // A tree smaller than the stored one reads partial tiles of that size: only sizes the store has are asked
      // for here (66,000 itself and the full tiles under it).
      if (n !== 66_000 && n !== 65_536) continue;
      expect(inclusionProof(i, n, reader).map((h) => Buffer.from(h).toString('hex'))).toEqual(
        inclusionProof(i, n, mem).map((h) => Buffer.from(h).toString('hex')),
      );
      expect([...used].sort()).toEqual(needed.map((t) => tilePath(t.level, t.index, t.width)).sort());
    }
    const reader = tileNodeReader(66_000, s.source);
    const proof = consistencyProof(65_536, 66_000, reader);
    expect(proof.map((h: Hash) => Buffer.from(h).toString('hex'))).toEqual(
      consistencyProof(65_536, 66_000, mem).map((h) => Buffer.from(h).toString('hex')),
    );
    expect(tilesForNodes(consistencyProofNodes(65_536, 66_000), 66_000).length).toBeLessThanOrEqual(4);
  });
});
