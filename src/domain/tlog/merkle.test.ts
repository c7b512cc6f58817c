import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  consistencyProofNodes,
  emptyRoot,
  type Hash,
  inclusionProof,
  inclusionProofNodes,
  leafHash,
  MerkleProofError,
  memoryNodeReader,
  nodeHash,
  RootBuilder,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/tlog/merkle');
const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const toHex = (h: Uint8Array) => Buffer.from(h).toString('hex');

const ref = JSON.parse(readFileSync(join(FIXTURES, 'reference-tree.json'), 'utf8')) as {
  leafInputsHex: string[];
  nodeHashesHex: string[][];
  rootHashesHex: string[];
  hasher: Record<string, string>;
  inclusionProofs: Array<{ leafIndex: number; size: number; proof: string[] }>;
  consistencyProofs: Array<{ size1: number; size2: number; proof: string[] }>;
};
const leaves = ref.leafInputsHex.map((h) => leafHash(hex(h)));

function probes<T>(dir: string): Array<T & { file: string }> {
  const out: Array<T & { file: string }> = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, name.name);
      if (name.isDirectory()) walk(p);
      else if (name.name.endsWith('.json'))
        out.push({ ...(JSON.parse(readFileSync(p, 'utf8')) as T), file: p });
    }
  };
  walk(join(FIXTURES, dir));
  return out;
}

describe('RFC 6962/9162 hashing (transparency-dev vectors)', () => {
  it('hashes the empty tree, leaves and nodes', () => {
    expect(toHex(emptyRoot())).toBe(ref.hasher.emptyRoot);
    expect(toHex(leafHash(new Uint8Array()))).toBe(ref.hasher.emptyLeaf);
    expect(toHex(leafHash(new TextEncoder().encode('L123456')))).toBe(ref.hasher.leafL123456);
    const enc = new TextEncoder();
    expect(toHex(nodeHash(enc.encode('N123'), enc.encode('N456')))).toBe(ref.hasher.nodeN123N456);
  });

  it('computes every node and every root of the reference tree', () => {
    const read = memoryNodeReader(leaves);
    ref.nodeHashesHex.forEach((level, l) => {
      level.forEach((h, i) => {
        expect(toHex(read(l, i))).toBe(h);
      });
    });
    for (let n = 0; n <= 8; n++)
      expect(toHex(rootFromLeafHashes(leaves.slice(0, n)))).toBe(ref.rootHashesHex[n]);
  });

  it('RootBuilder gives the root at every size on the way', () => {
    const b = new RootBuilder();
    expect(toHex(b.root())).toBe(ref.rootHashesHex[0]);
    leaves.forEach((l, i) => {
      b.push(l);
      expect(toHex(b.root())).toBe(ref.rootHashesHex[i + 1]);
    });
  });
});

describe('inclusion proofs (RFC 9162 §2.1.3)', () => {
  const read = memoryNodeReader(leaves);

  it('generates exactly the published proofs and verifies them', () => {
    for (const v of ref.inclusionProofs) {
      const proof = inclusionProof(v.leafIndex, v.size, read);
      expect(proof.map(toHex)).toEqual(v.proof);
      verifyInclusion(
        v.leafIndex,
        v.size,
        leaves[v.leafIndex] as Hash,
        proof,
        hex(ref.rootHashesHex[v.size] as string),
      );
    }
  });

  const incl = probes<{
    leafIdx: number;
    treeSize: number;
    root: string | null;
    leafHash: string | null;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
  }>('inclusion');

  it(`accepts and refuses the ${incl.length} transparency-dev inclusion probes as published`, () => {
    expect(incl.length).toBeGreaterThan(90);
    for (const p of incl) {
      const run = () =>
        verifyInclusion(
          p.leafIdx,
          p.treeSize,
          b64(p.leafHash ?? ''),
          (p.proof ?? []).map(b64),
          b64(p.root ?? ''),
        );
      if (p.wantErr) expect(run, p.file).toThrow(MerkleProofError);
      else expect(run, p.file).not.toThrow();
    }
  });

  it('generates the happy-path probes from the reference tree', () => {
    for (const p of incl.filter((x) => !x.wantErr && x.treeSize <= 8 && x.file.includes('happy-path'))) {
      expect(
        inclusionProof(p.leafIdx, p.treeSize, read).map((h) => Buffer.from(h).toString('base64')),
      ).toEqual(p.proof ?? []);
    }
  });

  it('refuses an index outside the tree', () => {
    expect(() => inclusionProof(8, 8, read)).toThrow(/not in a tree of size 8/);
    expect(() => verifyInclusion(8, 8, leaves[0] as Hash, [], leaves[0] as Hash)).toThrow(MerkleProofError);
  });
});

describe('consistency proofs (RFC 9162 §2.1.4)', () => {
  const read = memoryNodeReader(leaves);

  it('generates exactly the published proofs and verifies them', () => {
    for (const v of ref.consistencyProofs) {
      const proof = consistencyProof(v.size1, v.size2, read);
      expect(proof.map(toHex)).toEqual(v.proof);
      verifyConsistency(
        v.size1,
        v.size2,
        hex(ref.rootHashesHex[v.size1] as string),
        hex(ref.rootHashesHex[v.size2] as string),
        proof,
      );
    }
  });

  const cons = probes<{
    size1: number;
    size2: number;
    root1: string | null;
    root2: string | null;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
  }>('consistency');

  it(`accepts and refuses the ${cons.length} transparency-dev consistency probes as published`, () => {
    expect(cons.length).toBeGreaterThan(90);
    for (const p of cons) {
      const run = () =>
        verifyConsistency(p.size1, p.size2, b64(p.root1 ?? ''), b64(p.root2 ?? ''), (p.proof ?? []).map(b64));
      if (p.wantErr) expect(run, p.file).toThrow(MerkleProofError);
      else expect(run, p.file).not.toThrow();
    }
  });

  it('every pair of sizes up to 70 proves consistent, and a changed leaf is caught', () => {
    const many = Array.from({ length: 70 }, (_, i) => leafHash(new Uint8Array([i, i >> 8])));
    const r = memoryNodeReader(many);
    const roots = Array.from({ length: 71 }, (_, n) => rootFromLeafHashes(many.slice(0, n)));
    for (let m = 0; m <= 70; m++) {
      for (let n = m; n <= 70; n++) {
        const proof = consistencyProof(m, n, r);
        expect(consistencyProofNodes(m, n).length).toBeGreaterThanOrEqual(proof.length);
        if (m > 0) verifyConsistency(m, n, roots[m] as Hash, roots[n] as Hash, proof);
        if (m > 0 && m < n) {
          expect(() => verifyConsistency(m, n, roots[m] as Hash, roots[n - 1] as Hash, proof)).toThrow(
            MerkleProofError,
          );
        }
      }
      for (let i = 0; i < m; i++) {
        const proof = inclusionProof(i, m, r);
        expect(inclusionProofNodes(i, m).length).toBeGreaterThanOrEqual(proof.length);
        verifyInclusion(i, m, many[i] as Hash, proof, roots[m] as Hash);
      }
    }
    const forked = [...many];
    forked[3] = leafHash(new Uint8Array([99]));
    const forkedRoot = rootFromLeafHashes(forked.slice(0, 40));
    const proof = consistencyProof(20, 40, memoryNodeReader(forked));
    expect(() => verifyConsistency(20, 40, roots[20] as Hash, forkedRoot, proof)).toThrow(MerkleProofError);
  });

  it('refuses a shrinking tree', () => {
    expect(() => consistencyProof(5, 4, read)).toThrow(/larger than new size/);
  });
});
