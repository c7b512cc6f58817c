import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type PdqMatch, PdqMatchIndex } from './match-index.js';
import { hammingDistance, pdqHashFromWords } from './pdq-hash.js';

// Meta's matcher test vectors (facebook/ThreatExchange pdq/data/reg-test-input, BSD licence), in ../shared
const VECTORS = new URL('../../../../shared/data/pdq/', import.meta.url);
const HAS_VECTORS = existsSync(new URL('needles.txt', VECTORS));
const lines = (name: string) => readFileSync(new URL(name, VECTORS), 'utf8').trim().split('\n');

const BITS = Array.from({ length: 256 }, (_, x) => x.toString(2).replace(/0/g, '').length);
const bytesOf = new Map<string, Uint8Array>();
const bytes = (h: string) => {
  let v = bytesOf.get(h);
  if (!v) {
    v = Uint8Array.from({ length: 32 }, (_, i) => Number.parseInt(h.slice(2 * i, 2 * i + 2), 16));
    bytesOf.set(h, v);
  }
  return v;
};
/** Hamming distance on the bytes of the hex strings: code independent of the index's. */
function distance(a: string, b: string): number {
  const x = bytes(a);
  const y = bytes(b);
  let d = 0;
  for (let i = 0; i < 32; i++) d += BITS[(x[i] as number) ^ (y[i] as number)] as number;
  return d;
}

/** The answer by brute force over every hash. */
function bruteForce(
  haystack: readonly string[],
  ids: readonly number[],
  query: string,
  radius: number,
): PdqMatch[] {
  const best = new Map<number, number>();
  haystack.forEach((h, i) => {
    const d = distance(h, query);
    const id = ids[i] as number;
    if (d <= radius && (best.get(id) ?? 999) > d) best.set(id, d);
  });
  return [...best]
    .map(([hashId, distance]) => ({ hashId, distance }))
    .sort((a, b) => a.distance - b.distance || a.hashId - b.hashId);
}

let seed = 12345;
const rand32 = () => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed;
};
const randomHash = () => pdqHashFromWords(Uint32Array.from({ length: 8 }, rand32));
function flipBits(hex: string, count: number): string {
  const w = Uint32Array.from({ length: 8 }, (_, i) => Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16));
  const bits = new Set<number>();
  while (bits.size < count) bits.add(rand32() % 256);
  for (const b of bits) w[b >>> 5] = ((w[b >>> 5] as number) ^ (1 << (b & 31))) >>> 0;
  return pdqHashFromWords(w);
}

describe.skipIf(!HAS_VECTORS)('PdqMatchIndex on needles.txt × haystack.txt', () => {
  const haystack = HAS_VECTORS ? lines('haystack.txt') : [];
  const needles = HAS_VECTORS ? lines('needles.txt') : [];
  const ids = haystack.map((_, i) => i + 1);

  it('finds exactly what a brute-force scan finds, at radii 0–63', () => {
    expect(haystack).toHaveLength(1350);
    expect(needles).toHaveLength(100);
    const index = new PdqMatchIndex();
    index.load(haystack, ids);
    let total = 0;
    for (const radius of [0, 7, 8, 15, 16, 23, 24, 31, 32, 47, 63]) {
      for (const needle of needles) {
        const expected = bruteForce(haystack, ids, needle, radius);
        if (radius === 31) total += expected.length;
        expect(index.lookup(needle, radius)).toEqual(expected);
      }
    }
    expect(total).toBeGreaterThan(100); // the vectors do contain matches at 31
  });
});

describe('PdqMatchIndex on random hashes', () => {
  const N = 10_000;
  const haystack = Array.from({ length: N }, randomHash);
  const ids = haystack.map((_, i) => i * 3 + 7);

  it('finds every near-copy (0–31 bits flipped) with its distance, and nothing else, as a scan does', () => {
    const index = new PdqMatchIndex();
    index.load(haystack, ids);
    for (let q = 0; q < 128; q++) {
      const target = rand32() % N;
      const flips = q % 32;
      const query = flipBits(haystack[target] as string, flips);
      const got = index.lookup(query);
      expect(got).toEqual(bruteForce(haystack, ids, query, 31));
      expect(got).toContainEqual({ hashId: ids[target], distance: flips });
      expect(index.lookup(query)).toEqual(index.scan(query));
    }
    expect(index.lookup(randomHash())).toEqual([]);
    // the test's own distance agrees with the module's
    expect(distance(haystack[0] as string, haystack[1] as string)).toBe(
      hammingDistance(haystack[0] as string, haystack[1] as string),
    );
  });

  it('adds, deactivates and compacts incrementally, answering like a scan at every step', () => {
    const index = new PdqMatchIndex({ pendingLimit: 500 });
    index.load(haystack.slice(0, 5000), ids.slice(0, 5000));
    const live: string[] = haystack.slice(0, 5000);
    const liveIds: number[] = ids.slice(0, 5000);
    // additions in random id order go to pending, then a rebuild
    for (let i = 5000; i < 6200; i++) {
      index.add(haystack[i] as string, ids[i] as number);
      live.push(haystack[i] as string);
      liveIds.push(ids[i] as number);
    }
    expect(index.stats().pending).toBeLessThan(500);
    // deactivate some built and some pending
    for (const k of [3, 4000, 5100, 6150]) {
      expect(index.deactivate(ids[k] as number)).toBe(1);
      const at = liveIds.indexOf(ids[k] as number);
      live.splice(at, 1);
      liveIds.splice(at, 1);
    }
    expect(index.deactivate(ids[3] as number)).toBe(0);
    expect(index.stats().active).toBe(live.length);
    for (const k of [3, 4000, 5100, 6150, 10, 5500]) {
      const query = flipBits(haystack[k] as string, 5);
      expect(index.lookup(query)).toEqual(bruteForce(live, liveIds, query, 31));
    }
    expect(index.hashOf(ids[3] as number)).toBeUndefined();
    expect(index.hashOf(ids[10] as number)).toBe(haystack[10]);
    index.compact();
    expect(index.stats()).toMatchObject({ pending: 0, active: live.length, built: live.length });
    for (const k of [3, 10, 5500, 6150]) {
      const query = flipBits(haystack[k] as string, 12);
      expect(index.lookup(query)).toEqual(bruteForce(live, liveIds, query, 31));
    }
  });

  it('finds the matches only one table can find (the closest word differs in its high half)', () => {
    const index = new PdqMatchIndex();
    index.load(haystack, ids);
    /** The stored hash with these bits flipped (bit 0 = the most significant bit of word 0). */
    const flipped = (hex: string, bits: number[]) => {
      const w = Uint32Array.from({ length: 8 }, (_, i) => Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16));
      for (const b of bits) w[b >>> 5] = ((w[b >>> 5] as number) ^ (1 << (31 - (b & 31)))) >>> 0;
      return pdqHashFromWords(w);
    };
    const others = (from: number) =>
      Array.from({ length: 7 }, (_, k) => [0, 5, 17, 28].map((b) => (k + 1) * 32 + b + from)).flat();
    const target = haystack[77] as string;
    // word 0: 3 bits in the high half (A) → only Q finds it; words 1–7: 4 bits each (each over t = 3); total 31
    const viaQ = flipped(target, [1, 4, 9, ...others(0)]);
    expect(distance(viaQ, target)).toBe(31);
    expect(index.lookup(viaQ)).toEqual(bruteForce(haystack, ids, viaQ, 31));
    expect(index.lookup(viaQ)).toContainEqual({ hashId: ids[77], distance: 31 });
    // word 0: 2 in A, 1 in B → Q with the budget left after B
    const mixed = flipped(target, [2, 11, 20, ...others(1)]);
    expect(index.lookup(mixed)).toContainEqual({ hashId: ids[77], distance: 31 });
    // word 0: 3 in B → only P finds it
    const viaP = flipped(target, [16, 22, 31, ...others(2)]);
    expect(index.lookup(viaP)).toContainEqual({ hashId: ids[77], distance: 31 });
    // every word over 3 bits: 32 flips, not a match
    const none = flipped(target, [1, 4, 9, 12, ...others(0)]);
    expect(index.lookup(none).some((m) => m.hashId === ids[77])).toBe(false);
  });

  it('shares its built part: a reader made from a snapshot answers the same, over the same memory', () => {
    const index = new PdqMatchIndex({ shared: true });
    index.load(haystack.slice(0, 3000), ids.slice(0, 3000));
    const snapshot = index.snapshot();
    expect(snapshot.words.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(snapshot.tables[7]?.qPartner.buffer).toBeInstanceOf(SharedArrayBuffer);
    const reader = PdqMatchIndex.fromSnapshot(structuredClone(snapshot));
    for (const k of [0, 5, 2999]) {
      const query = flipBits(haystack[k] as string, 20);
      expect(reader.lookup(query)).toEqual(index.lookup(query));
      expect(reader.lookup(query)).toContainEqual({ hashId: ids[k], distance: 20 });
    }
    // a deactivation by the owner is seen by the reader (the flags are shared memory)
    index.deactivate(ids[5] as number);
    expect(reader.lookup(haystack[5] as string)).toEqual([]);
  });

  it('answers one id once with its nearest distance over the 8 dihedral queries', () => {
    const index = new PdqMatchIndex();
    index.load(haystack.slice(0, 1000), ids.slice(0, 1000));
    const a = flipBits(haystack[5] as string, 20);
    const b = flipBits(haystack[5] as string, 4);
    expect(index.lookupAny([a, b, randomHash()])).toEqual([{ hashId: ids[5], distance: 4 }]);
  });

  it('refuses ids that are not uint32 and radii out of range', () => {
    const index = new PdqMatchIndex();
    expect(() => index.add(haystack[0] as string, -1)).toThrow(RangeError);
    expect(() => index.add(haystack[0] as string, 2 ** 32)).toThrow(RangeError);
    expect(() => index.lookup(haystack[0] as string, 256)).toThrow(RangeError);
  });
});
