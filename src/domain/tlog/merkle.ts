/**
 * RFC 9162 (Certificate Transparency v2, §2.1) Merkle trees over SHA-256 — the hashing every petition log and the
 * heads log use: leaf `SHA-256(0x00 ‖ entry)`, interior node `SHA-256(0x01 ‖ left ‖ right)`, the empty tree
 * `SHA-256("")`, and the inclusion (§2.1.3) and consistency (§2.1.4) proofs.
 *
 * Node addressing used across src/domain/tlog: the node at (level, index) is the Merkle Tree Hash of the complete
 * subtree D[index·2^level : (index+1)·2^level]; level 0 index i is the hash of leaf i. Proof generation takes a
 * `NodeReader` for such nodes, so it runs over anything that stores complete subtrees — an array of leaf hashes in
 * memory, or tlog tiles (tiles.ts `tileNodeReader`). `inclusionProofNodes` / `consistencyProofNodes` name the nodes a
 * proof needs, so a client can fetch exactly those tiles first.
 *
 * Sizes and indexes are JavaScript numbers (safe integers up to 2^53 − 1); bit operations are never used on them.
 * Pure: imports only node:crypto.
 */
import crypto from 'node:crypto';

/** A SHA-256 hash, 32 bytes. */
export type Hash = Uint8Array;

export const HASH_SIZE = 32;

/** Thrown when a proof does not verify or cannot be made; `code` says which rule failed. */
export class MerkleProofError extends Error {
  constructor(
    readonly code:
      | 'index-out-of-range'
      | 'size-out-of-range'
      | 'wrong-proof-length'
      | 'root-mismatch'
      | 'old-root-mismatch'
      | 'new-root-mismatch'
      | 'bad-hash',
    message: string,
  ) {
    super(message);
    this.name = 'MerkleProofError';
  }
}

/** The hash of one complete subtree: (level, index) as described in the module comment. */
export type NodeReader = (level: number, index: number) => Hash;

/** A complete subtree, by level and index. */
export interface NodeId {
  level: number;
  index: number;
}

// crypto.hash (Node ≥ 20.12) is a one-shot digest about twice as fast as createHash().update().digest() for the
// 33–66-byte inputs here; the scratch buffers avoid an allocation per hash (the input is copied, the digest is new).
const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Buffer }).hash;
const sha256 = oneShot
  ? (data: Uint8Array): Hash => oneShot('sha256', data, 'buffer')
  : (data: Uint8Array): Hash => crypto.createHash('sha256').update(data).digest();
const nodeScratch = Buffer.alloc(1 + 2 * 32, 1);
const leafScratch = Buffer.alloc(1024);

/** SHA-256(0x00 ‖ entry): the hash of a log entry (RFC 9162 §2.1.1). */
export function leafHash(entry: Uint8Array): Hash {
  if (entry.length < leafScratch.length) {
    leafScratch[0] = 0;
    leafScratch.set(entry, 1);
    return sha256(leafScratch.subarray(0, entry.length + 1));
  }
  return crypto
    .createHash('sha256')
    .update(new Uint8Array([0]))
    .update(entry)
    .digest();
}

/** SHA-256(0x01 ‖ left ‖ right): an interior node (RFC 9162 §2.1.1). Both children must be 32 bytes. */
export function nodeHash(left: Hash, right: Hash): Hash {
  if (left.length !== 32 || right.length !== 32) {
    return crypto
      .createHash('sha256')
      .update(new Uint8Array([1]))
      .update(left)
      .update(right)
      .digest();
  }
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 33);
  return sha256(nodeScratch);
}

/** The root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Hash {
  return crypto.createHash('sha256').digest();
}

/** True when two hashes (or any byte strings) are equal. */
export function hashEquals(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The largest power of two strictly smaller than n (n ≥ 2): the split point k of RFC 9162 §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH(D[0:n]) over leaf hashes already computed (RFC 9162 §2.1.1). Iterative (a stack of complete subtrees), so it
 * takes O(n) hashes and O(log n) memory beyond the input.
 */
export function rootFromLeafHashes(leaves: readonly Hash[]): Hash {
  const builder = new RootBuilder();
  for (const leaf of leaves) builder.push(leaf);
  return builder.root();
}

/**
 * Builds a Merkle Tree Hash incrementally from leaf hashes (a compact range: one stored subtree root per set bit of
 * the size). `push` costs amortised one node hash; `root()` folds the stack right to left and may be called at any
 * size (the builder keeps going).
 */
export class RootBuilder {
  private readonly stack: Hash[] = [];
  private readonly levels: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash. */
  push(leaf: Hash): void {
    this.pushNode(leaf, 0);
  }

  /**
   * Appends a complete subtree of 2^level leaves. The builder's size must be a multiple of 2^level (the subtree
   * sits at an aligned position), otherwise throws RangeError.
   */
  pushNode(hash: Hash, level: number): void {
    const width = 2 ** level;
    if (this.count % width !== 0)
      throw new RangeError(`a subtree of level ${level} cannot start at ${this.count}`);
    let h = hash;
    let l = level;
    while (this.levels.length > 0 && this.levels[this.levels.length - 1] === l) {
      const left = this.stack.pop() as Hash;
      this.levels.pop();
      h = nodeHash(left, h);
      l += 1;
    }
    this.stack.push(h);
    this.levels.push(l);
    this.count += width;
  }

  /** MTH of everything pushed so far (the empty-tree hash when nothing was pushed). */
  root(): Hash {
    if (this.stack.length === 0) return emptyRoot();
    let h = this.stack[this.stack.length - 1] as Hash;
    for (let i = this.stack.length - 2; i >= 0; i--) h = nodeHash(this.stack[i] as Hash, h);
    return h;
  }
}

/**
 * The complete subtrees, left to right, whose fold (right to left with nodeHash) is MTH(D[start:end]) — for the
 * ranges RFC 9162's recursions produce (start aligned to the largest power of two not above end − start), which is
 * every range used by the proofs here and every prefix [0, n).
 */
export function rangeNodes(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= end) level += 1;
    nodes.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return nodes;
}

/** MTH(D[start:end]) from complete subtrees read through `read` (see rangeNodes for which ranges are allowed). */
export function rangeHash(start: number, end: number, read: NodeReader): Hash {
  if (end <= start) throw new RangeError(`empty range [${start}, ${end})`);
  const nodes = rangeNodes(start, end);
  const last = nodes[nodes.length - 1] as NodeId;
  let h = read(last.level, last.index);
  for (let i = nodes.length - 2; i >= 0; i--) {
    const n = nodes[i] as NodeId;
    h = nodeHash(read(n.level, n.index), h);
  }
  return h;
}

/** The root of a tree of `size` leaves from its complete subtrees (the empty-tree hash for size 0). */
export function treeRoot(size: number, read: NodeReader): Hash {
  return size === 0 ? emptyRoot() : rangeHash(0, size, read);
}

function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new MerkleProofError('size-out-of-range', `${what} ${n} is not a size`);
}

/** The ranges (in proof order) whose hashes form PATH(index, D[0:size]) — RFC 9162 §2.1.3.1. */
function inclusionRanges(index: number, size: number): Array<[number, number]> {
  checkSize(size, 'tree size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new MerkleProofError('index-out-of-range', `leaf index ${index} is not in a tree of size ${size}`);
  }
  const ranges: Array<[number, number]> = [];
  let lo = 0;
  let hi = size;
  let m = index;
  // Walk down from the root; the RFC's path lists the sibling ranges bottom-up, so collect and reverse.
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
      m -= k;
    }
  }
  return ranges.reverse();
}

/** The complete subtrees an inclusion proof for `index` in a tree of `size` reads (fetch these tiles first). */
export function inclusionProofNodes(index: number, size: number): NodeId[] {
  return inclusionRanges(index, size).flatMap(([a, b]) => rangeNodes(a, b));
}

/**
 * PATH(index, D[0:size]) — RFC 9162 §2.1.3.1: the audit path from leaf `index` to the root of a tree of `size`
 * leaves, leaf's sibling first. Throws MerkleProofError('index-out-of-range') when index ≥ size.
 */
export function inclusionProof(index: number, size: number, read: NodeReader): Hash[] {
  return inclusionRanges(index, size).map(([a, b]) => rangeHash(a, b, read));
}

/**
 * Verifies an inclusion proof — RFC 9162 §2.1.3.2. Throws MerkleProofError ('index-out-of-range',
 * 'wrong-proof-length', 'root-mismatch', 'bad-hash'); returns nothing when the leaf is in the tree.
 */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Hash,
  proof: readonly Hash[],
  root: Hash,
): void {
  checkSize(size, 'tree size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new MerkleProofError('index-out-of-range', `leaf index ${index} is not in a tree of size ${size}`);
  }
  for (const p of [leaf, root, ...proof]) {
    if (p.length !== HASH_SIZE) throw new MerkleProofError('bad-hash', 'a proof hash is not 32 bytes');
  }
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new MerkleProofError('wrong-proof-length', 'the inclusion proof is too long');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new MerkleProofError('wrong-proof-length', 'the inclusion proof is too short');
  if (!hashEquals(r, root)) {
    throw new MerkleProofError('root-mismatch', 'the inclusion proof does not lead to the root');
  }
}

/** The ranges (in proof order) whose hashes form PROOF(oldSize, D[0:newSize]) — RFC 9162 §2.1.4.1. */
function consistencyRanges(oldSize: number, newSize: number): Array<[number, number]> {
  checkSize(oldSize, 'old size');
  checkSize(newSize, 'new size');
  if (oldSize > newSize) {
    throw new MerkleProofError('size-out-of-range', `old size ${oldSize} is larger than new size ${newSize}`);
  }
  if (oldSize === 0 || oldSize === newSize) return [];
  const ranges: Array<[number, number]> = [];
  let lo = 0;
  let hi = newSize;
  let m = oldSize;
  let complete = true; // the RFC's b: the old tree is the whole of the subtree we are in
  for (;;) {
    const n = hi - lo;
    if (m === n) {
      if (!complete) ranges.push([lo, hi]);
      break;
    }
    const k = splitPoint(n);
    if (m <= k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
      m -= k;
      complete = false;
    }
  }
  return ranges.reverse();
}

/** The complete subtrees a consistency proof from oldSize to newSize reads. */
export function consistencyProofNodes(oldSize: number, newSize: number): NodeId[] {
  return consistencyRanges(oldSize, newSize).flatMap(([a, b]) => rangeNodes(a, b));
}

/**
 * PROOF(oldSize, D[0:newSize]) — RFC 9162 §2.1.4.1. Empty when oldSize is 0 or equals newSize. Throws
 * MerkleProofError('size-out-of-range') when oldSize > newSize.
 */
export function consistencyProof(oldSize: number, newSize: number, read: NodeReader): Hash[] {
  return consistencyRanges(oldSize, newSize).map(([a, b]) => rangeHash(a, b, read));
}

/**
 * Verifies a consistency proof — RFC 9162 §2.1.4.2 — that the tree of oldSize with oldRoot is a prefix of the tree
 * of newSize with newRoot. Equal sizes need an empty proof and
 * equal roots; a proof from size 0 is refused ('size-out-of-range') as transparency-dev/merkle does — callers that
 * start from nothing need no proof. Throws MerkleProofError ('size-out-of-range', 'wrong-proof-length', 'old-root-mismatch',
 * 'new-root-mismatch', 'bad-hash').
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Hash,
  newRoot: Hash,
  proof: readonly Hash[],
): void {
  checkSize(oldSize, 'old size');
  checkSize(newSize, 'new size');
  for (const p of proof) {
    if (p.length !== HASH_SIZE) throw new MerkleProofError('bad-hash', 'a proof hash is not 32 bytes');
  }
  if (oldSize > newSize) {
    throw new MerkleProofError('size-out-of-range', `old size ${oldSize} is larger than new size ${newSize}`);
  }
  if (oldSize === 0) {
    // As transparency-dev/merkle: a proof from the empty tree proves nothing, so it is refused; a caller that
    // starts from nothing (a witness's first checkpoint, a monitor's first sight) accepts the new tree as is.
    throw new MerkleProofError('size-out-of-range', 'a consistency proof from the empty tree is meaningless');
  }
  if (oldSize === newSize) {
    if (proof.length !== 0)
      throw new MerkleProofError('wrong-proof-length', 'a proof between equal sizes is empty');
    if (!hashEquals(oldRoot, newRoot)) {
      throw new MerkleProofError('new-root-mismatch', 'two trees of the same size have different roots');
    }
    return;
  }
  if (proof.length === 0) throw new MerkleProofError('wrong-proof-length', 'the consistency proof is empty');
  let path = proof;
  if (isPowerOfTwo(oldSize)) path = [oldRoot, ...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Hash;
    if (sn === 0) throw new MerkleProofError('wrong-proof-length', 'the consistency proof is too long');
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new MerkleProofError('wrong-proof-length', 'the consistency proof is too short');
  if (!hashEquals(fr, oldRoot)) {
    throw new MerkleProofError('old-root-mismatch', 'the consistency proof does not lead to the old root');
  }
  if (!hashEquals(sr, newRoot)) {
    throw new MerkleProofError('new-root-mismatch', 'the consistency proof does not lead to the new root');
  }
}

function isPowerOfTwo(n: number): boolean {
  let x = n;
  while (x > 1 && x % 2 === 0) x /= 2;
  return x === 1;
}

/** A NodeReader over leaf hashes held in memory (tests, small logs): computes each subtree it is asked for. */
export function memoryNodeReader(leaves: readonly Hash[]): NodeReader {
  const cache = new Map<string, Hash>();
  const read: NodeReader = (level, index) => {
    if (level === 0) {
      const h = leaves[index];
      if (h === undefined) throw new RangeError(`leaf ${index} is not stored`);
      return h;
    }
    const key = `${level}/${index}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const h = nodeHash(read(level - 1, index * 2), read(level - 1, index * 2 + 1));
    cache.set(key, h);
    return h;
  };
  return read;
}
