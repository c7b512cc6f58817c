/**
 * The plain multi-index hashing the desk's matcher was measured against (bench:match --compare): m chunks of
 * 256/m bits, each a direct table from chunk value to the hashes that have it, probed at radius ⌊r/m⌋, every
 * candidate checked with the full 256-bit distance by reading its hash. Correct, but at 10 million hashes every
 * candidate is a cache miss, and there are thousands a lookup; src/domain/pdq/match-index.ts filters candidates
 * with data stored beside the postings instead. Kept here only for the comparison.
 */
import { pdqHashFromWords, pdqHashToWords, popcount32 } from '../../src/domain/pdq/pdq-hash.js';

/** One hash found by a lookup. */
interface PdqMatch {
  /** The caller's id for the hash (an unsigned 32-bit integer). */
  hashId: number;
  /** Hamming distance to the query, 0–256. */
  distance: number;
}

interface MatchIndexOptions {
  /** Number of chunks the 256 bits are cut into (11–32; default 12). */
  chunks?: number;
  /** Pending additions that trigger a rebuild (default 8,192). */
  pendingLimit?: number;
}

/** Sizes of the index's arrays. */
interface MatchIndexStats {
  /** Hashes indexed and active (pending included). */
  active: number;
  /** Slots in the built part (active or deactivated). */
  built: number;
  /** Additions not yet in the built part. */
  pending: number;
  chunks: number;
  /** Bytes held by the typed arrays. */
  bytes: number;
}

const MAX_ID = 0xffffffff;

/** Reads `width` bits starting at bit `start` (bit 0 = the most significant bit of word 0) of the hash at `off`. */
function chunkValue(words: Uint32Array, off: number, start: number, width: number): number {
  const w = start >>> 5;
  const s = start & 31;
  const hi = words[off + w] as number;
  let v: number;
  if (s === 0) v = hi;
  else {
    const lo = w + 1 < 8 ? (words[off + w + 1] as number) : 0;
    v = ((hi << s) | (lo >>> (32 - s))) >>> 0;
  }
  return v >>> (32 - width);
}

export class ChunkMih {
  readonly chunkCount: number;
  private readonly starts: number[];
  private readonly widths: number[];
  private readonly pendingLimit: number;

  // built part
  private words: Uint32Array = new Uint32Array(0);
  private ids: Uint32Array = new Uint32Array(0);
  private dead = new Uint8Array(0);
  private offsets: Uint32Array[] = [];
  private postings: Uint32Array[] = [];
  private builtCount = 0;
  private deadCount = 0;

  // pending part
  private pendingWords = new Uint32Array(8 * 64);
  private pendingIds = new Uint32Array(64);
  private pendingDead = new Uint8Array(64);
  private pendingCount = 0;
  private pendingDeadCount = 0;

  /**
   * @throws RangeError when `chunks` is not a whole number from 11 to 32
   */
  constructor(options: MatchIndexOptions = {}) {
    const m = options.chunks ?? 12;
    if (!Number.isInteger(m) || m < 11 || m > 32) {
      throw new RangeError('chunks must be a whole number from 11 to 32 (at most 24 bits a chunk)');
    }
    this.chunkCount = m;
    this.pendingLimit = options.pendingLimit ?? 8192;
    this.starts = [];
    this.widths = [];
    const base = Math.floor(256 / m);
    const wider = 256 - base * m; // the first `wider` chunks get one bit more
    for (let c = 0, start = 0; c < m; c++) {
      const width = base + (c < wider ? 1 : 0);
      this.starts.push(start);
      this.widths.push(width);
      start += width;
    }
    this.rebuildFrom(new Uint32Array(0), new Uint32Array(0));
  }

  /**
   * Replaces the contents with these hashes, built at once (the fast way to load millions).
   * @param hashes 8 words per hash (see {@link pdqHashToWords}), or hex strings
   * @param hashIds the caller's id of each hash (unsigned 32-bit); hashes must have distinct ids
   * @throws RangeError when the counts differ or an id is not an unsigned 32-bit integer
   */
  load(hashes: Uint32Array | readonly string[], hashIds: Uint32Array | readonly number[]): void {
    const n = hashIds.length;
    let words: Uint32Array;
    if (hashes instanceof Uint32Array) {
      if (hashes.length !== n * 8) throw new RangeError(`${n} ids need ${n * 8} words, got ${hashes.length}`);
      words = hashes;
    } else {
      if (hashes.length !== n) throw new RangeError(`${n} ids, ${hashes.length} hashes`);
      words = new Uint32Array(n * 8);
      hashes.forEach((hex, i) => {
        pdqHashToWords(hex, words, i * 8);
      });
    }
    const ids = hashIds instanceof Uint32Array ? hashIds : Uint32Array.from(hashIds, checkId);
    this.pendingCount = 0;
    this.pendingDeadCount = 0;
    this.rebuildFrom(words, ids);
  }

  /**
   * Adds one hash. It is found by lookups at once; it joins the built part at the next rebuild.
   * @param hash 64 hex digits (validate untrusted input with `parsePdqHash` first) or 8 words
   * @param hashId the caller's id (unsigned 32-bit)
   */
  add(hash: string | Uint32Array, hashId: number): void {
    checkId(hashId);
    if (this.pendingCount === this.pendingIds.length) {
      const cap = this.pendingIds.length * 2;
      const w = new Uint32Array(cap * 8);
      w.set(this.pendingWords);
      this.pendingWords = w;
      const ids = new Uint32Array(cap);
      ids.set(this.pendingIds);
      this.pendingIds = ids;
      const dead = new Uint8Array(cap);
      dead.set(this.pendingDead);
      this.pendingDead = dead;
    }
    const i = this.pendingCount++;
    if (typeof hash === 'string') pdqHashToWords(hash, this.pendingWords, i * 8);
    else this.pendingWords.set(hash.subarray(0, 8), i * 8);
    this.pendingIds[i] = hashId;
    this.pendingDead[i] = 0;
    if (this.pendingCount - this.pendingDeadCount >= this.pendingLimit) this.compact();
  }

  /**
   * Deactivates every hash with this id (a withdrawn case, a hash removed from its bank): no lookup finds it from
   * now on. Returns how many were deactivated (0 when none was active).
   */
  deactivate(hashId: number): number {
    let count = 0;
    const ids = this.ids;
    // the built part is sorted by id
    let lo = 0;
    let hi = this.builtCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ids[mid] as number) < hashId) lo = mid + 1;
      else hi = mid;
    }
    for (let s = lo; s < this.builtCount && ids[s] === hashId; s++) {
      if (!this.dead[s]) {
        this.dead[s] = 1;
        this.deadCount++;
        count++;
      }
    }
    for (let i = 0; i < this.pendingCount; i++) {
      if (this.pendingIds[i] === hashId && !this.pendingDead[i]) {
        this.pendingDead[i] = 1;
        this.pendingDeadCount++;
        count++;
      }
    }
    return count;
  }

  /** Merges pending additions into the built part and drops deactivated hashes (O(N) per chunk). */
  compact(): void {
    const live = this.builtCount - this.deadCount + this.pendingCount - this.pendingDeadCount;
    const words = new Uint32Array(live * 8);
    const ids = new Uint32Array(live);
    let n = 0;
    for (let s = 0; s < this.builtCount; s++) {
      if (this.dead[s]) continue;
      words.set(this.words.subarray(s * 8, s * 8 + 8), n * 8);
      ids[n++] = this.ids[s] as number;
    }
    for (let i = 0; i < this.pendingCount; i++) {
      if (this.pendingDead[i]) continue;
      words.set(this.pendingWords.subarray(i * 8, i * 8 + 8), n * 8);
      ids[n++] = this.pendingIds[i] as number;
    }
    this.pendingCount = 0;
    this.pendingDeadCount = 0;
    this.pendingDead.fill(0);
    this.rebuildFrom(words, ids);
  }

  /**
   * Every active hash within `radius` bits of the query, nearest first (ties by id), each id once.
   * @param query 64 hex digits (validated by the caller) or 8 words
   * @param radius maximum Hamming distance, 0–255 (default 31, Meta's match threshold)
   * @throws RangeError when the radius is out of range
   */
  lookup(query: string | Uint32Array, radius = 31): PdqMatch[] {
    if (!Number.isInteger(radius) || radius < 0 || radius > 255) throw new RangeError('radius must be 0–255');
    const q = typeof query === 'string' ? pdqHashToWords(query) : query;
    const found = new Map<number, number>(); // slot (built) or -1 - index (pending) → distance
    const q0 = q[0] as number;
    const q1 = q[1] as number;
    const q2 = q[2] as number;
    const q3 = q[3] as number;
    const q4 = q[4] as number;
    const q5 = q[5] as number;
    const q6 = q[6] as number;
    const q7 = q[7] as number;
    const words = this.words;
    const dead = this.dead;
    const perChunk = Math.floor(radius / this.chunkCount);
    const keys: number[] = [];
    if (this.builtCount > 0) {
      for (let c = 0; c < this.chunkCount; c++) {
        const width = this.widths[c] as number;
        const offsets = this.offsets[c] as Uint32Array;
        const postings = this.postings[c] as Uint32Array;
        keys.length = 0;
        neighbours(chunkValue(q, 0, this.starts[c] as number, width), width, perChunk, keys);
        for (const key of keys) {
          const end = offsets[key + 1] as number;
          for (let p = offsets[key] as number; p < end; p++) {
            const slot = postings[p] as number;
            const o = slot * 8;
            let d =
              popcount32(((words[o] as number) ^ q0) >>> 0) +
              popcount32(((words[o + 1] as number) ^ q1) >>> 0) +
              popcount32(((words[o + 2] as number) ^ q2) >>> 0) +
              popcount32(((words[o + 3] as number) ^ q3) >>> 0);
            if (d > radius) continue;
            d +=
              popcount32(((words[o + 4] as number) ^ q4) >>> 0) +
              popcount32(((words[o + 5] as number) ^ q5) >>> 0) +
              popcount32(((words[o + 6] as number) ^ q6) >>> 0) +
              popcount32(((words[o + 7] as number) ^ q7) >>> 0);
            if (d <= radius && !dead[slot]) found.set(slot, d);
          }
        }
      }
    }
    for (let i = 0; i < this.pendingCount; i++) {
      if (this.pendingDead[i]) continue;
      const d = distanceWords(this.pendingWords, i * 8, q, 0);
      if (d <= radius) found.set(-1 - i, d);
    }
    const out: PdqMatch[] = [];
    for (const [slot, distance] of found) {
      out.push({ hashId: (slot >= 0 ? this.ids[slot] : this.pendingIds[-1 - slot]) as number, distance });
    }
    return sortMatches(dedupeById(out));
  }

  /**
   * The nearest match per id over several queries (the 8 dihedral hashes of one image), nearest first.
   */
  lookupAny(queries: ReadonlyArray<string | Uint32Array>, radius = 31): PdqMatch[] {
    const all: PdqMatch[] = [];
    for (const q of queries) all.push(...this.lookup(q, radius));
    return sortMatches(dedupeById(all));
  }

  /** The same answer as {@link lookup} by comparing the query with every hash: the reference for tests. */
  scan(query: string | Uint32Array, radius = 31): PdqMatch[] {
    const q = typeof query === 'string' ? pdqHashToWords(query) : query;
    const out: PdqMatch[] = [];
    for (let s = 0; s < this.builtCount; s++) {
      if (this.dead[s]) continue;
      const d = distanceWords(this.words, s * 8, q, 0);
      if (d <= radius) out.push({ hashId: this.ids[s] as number, distance: d });
    }
    for (let i = 0; i < this.pendingCount; i++) {
      if (this.pendingDead[i]) continue;
      const d = distanceWords(this.pendingWords, i * 8, q, 0);
      if (d <= radius) out.push({ hashId: this.pendingIds[i] as number, distance: d });
    }
    return sortMatches(dedupeById(out));
  }

  /** The active hash with this id, as hex (the first one, if several share it), or undefined. */
  hashOf(hashId: number): string | undefined {
    for (let s = 0; s < this.builtCount; s++) {
      if (this.ids[s] === hashId && !this.dead[s]) return pdqHashFromWords(this.words, s * 8);
    }
    for (let i = 0; i < this.pendingCount; i++) {
      if (this.pendingIds[i] === hashId && !this.pendingDead[i])
        return pdqHashFromWords(this.pendingWords, i * 8);
    }
    return undefined;
  }

  /** Sizes, for monitoring and the benchmark. */
  stats(): MatchIndexStats {
    let bytes =
      this.words.byteLength +
      this.ids.byteLength +
      this.dead.byteLength +
      this.pendingWords.byteLength +
      this.pendingIds.byteLength +
      this.pendingDead.byteLength;
    for (const o of this.offsets) bytes += o.byteLength;
    for (const p of this.postings) bytes += p.byteLength;
    return {
      active: this.builtCount - this.deadCount + this.pendingCount - this.pendingDeadCount,
      built: this.builtCount,
      pending: this.pendingCount,
      chunks: this.chunkCount,
      bytes,
    };
  }

  /** Builds the chunk tables over these hashes (sorted by id first, so deactivation can binary-search). */
  private rebuildFrom(unsortedWords: Uint32Array, unsortedIds: Uint32Array): void {
    const n = unsortedIds.length;
    const order = sortOrderById(unsortedIds);
    let words: Uint32Array = unsortedWords;
    let ids: Uint32Array = unsortedIds;
    if (order) {
      words = new Uint32Array(n * 8);
      ids = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const from = order[i] as number;
        ids[i] = unsortedIds[from] as number;
        words.set(unsortedWords.subarray(from * 8, from * 8 + 8), i * 8);
      }
    }
    this.words = words;
    this.ids = ids;
    this.dead = new Uint8Array(n);
    this.builtCount = n;
    this.deadCount = 0;
    this.offsets = [];
    this.postings = [];
    const keys = new Uint32Array(n);
    for (let c = 0; c < this.chunkCount; c++) {
      const start = this.starts[c] as number;
      const width = this.widths[c] as number;
      const size = 2 ** width;
      const offsets = new Uint32Array(size + 1);
      for (let s = 0; s < n; s++) {
        const k = chunkValue(words, s * 8, start, width);
        keys[s] = k;
        offsets[k + 1] = (offsets[k + 1] as number) + 1;
      }
      for (let k = 0; k < size; k++) offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
      const postings = new Uint32Array(n);
      const fill = offsets.slice(0, size);
      for (let s = 0; s < n; s++) {
        const k = keys[s] as number;
        postings[fill[k] as number] = s;
        fill[k] = (fill[k] as number) + 1;
      }
      this.offsets.push(offsets);
      this.postings.push(postings);
    }
  }
}

function checkId(id: number): number {
  if (!Number.isInteger(id) || id < 0 || id > MAX_ID) throw new RangeError(`hash id ${id} is not a uint32`);
  return id;
}

/** Hamming distance between the hashes at `ao` in `a` and `bo` in `b` (8 words each). */
function distanceWords(a: Uint32Array, ao: number, b: Uint32Array, bo: number): number {
  let d = 0;
  for (let i = 0; i < 8; i++) d += popcount32(((a[ao + i] as number) ^ (b[bo + i] as number)) >>> 0);
  return d;
}

/** Every `width`-bit value within `radius` bits of `key`, appended to `out` (enumerated up to radius 3). */
function neighbours(key: number, width: number, radius: number, out: number[]): void {
  if (radius >= 4) {
    // only for radii of 4 × chunks and more, far past any match threshold: test every value of the chunk
    for (let k = 0; k < 2 ** width; k++) if (popcount32((k ^ key) >>> 0) <= radius) out.push(k);
    return;
  }
  out.push(key);
  if (radius === 0) return;
  for (let i = 0; i < width; i++) {
    const k1 = (key ^ (1 << i)) >>> 0;
    out.push(k1);
    if (radius === 1) continue;
    for (let j = i + 1; j < width; j++) {
      const k2 = (k1 ^ (1 << j)) >>> 0;
      out.push(k2);
      if (radius === 2) continue;
      for (let l = j + 1; l < width; l++) out.push((k2 ^ (1 << l)) >>> 0);
    }
  }
}

/** Keeps the smallest distance per id. */
function dedupeById(matches: PdqMatch[]): PdqMatch[] {
  const best = new Map<number, number>();
  for (const m of matches) {
    const d = best.get(m.hashId);
    if (d === undefined || m.distance < d) best.set(m.hashId, m.distance);
  }
  return [...best].map(([hashId, distance]) => ({ hashId, distance }));
}

function sortMatches(matches: PdqMatch[]): PdqMatch[] {
  return matches.sort((a, b) => a.distance - b.distance || a.hashId - b.hashId);
}

/** A permutation sorting `ids` ascending (LSD radix sort, 2 × 16 bits), or null when already sorted. */
function sortOrderById(ids: Uint32Array): Uint32Array | null {
  const n = ids.length;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if ((ids[i] as number) < (ids[i - 1] as number)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return null;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Uint32Array(n);
  for (const shift of [0, 16]) {
    const counts = new Uint32Array(65537);
    for (let i = 0; i < n; i++) {
      const b = ((ids[order[i] as number] as number) >>> shift) & 0xffff;
      counts[b + 1] = (counts[b + 1] as number) + 1;
    }
    for (let b = 0; b < 65536; b++) counts[b + 1] = (counts[b + 1] as number) + (counts[b] as number);
    for (let i = 0; i < n; i++) {
      const o = order[i] as number;
      const b = ((ids[o] as number) >>> shift) & 0xffff;
      next[counts[b] as number] = o;
      counts[b] = (counts[b] as number) + 1;
    }
    [order, next] = [next, order];
  }
  return order;
}
