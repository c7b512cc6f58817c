import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafHash, rootFromLeafHashes } from '../../src/domain/tlog/merkle.js';
import { encodeEntryBundle } from '../../src/domain/tlog/tiles.js';
import { BundleHashPool } from '../../src/verify/hash-pool.js';

describe('BundleHashPool (worker threads)', () => {
  it('gives the Merkle Tree Hash merkle.ts gives for full bundles, and refuses partial ones', async () => {
    const pool = new BundleHashPool(2);
    try {
      const bundles = Array.from({ length: 6 }, (_, k) =>
        Array.from({ length: 256 }, (_, i) => randomBytes(k === 0 ? 0 : (i % 70) + k)),
      );
      const got = await Promise.all(bundles.map((b) => pool.subtreeHash(encodeEntryBundle(b))));
      bundles.forEach((b, k) => {
        expect(Buffer.from(got[k] as Uint8Array)).toEqual(Buffer.from(rootFromLeafHashes(b.map(leafHash))));
      });
      await expect(pool.subtreeHash(encodeEntryBundle(bundles[1]?.slice(0, 255) ?? []))).rejects.toThrow(
        /256 entries/,
      );
    } finally {
      await pool.close();
    }
  });
});
