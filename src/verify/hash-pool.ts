/**
 * Hashing full entry bundles on worker threads, so `verify count` uses every core: a Room-N log is 2.7 million leaf
 * hashes and as many node hashes, and one core spends most of the verification on them.
 *
 * A worker takes the bytes of a full entry bundle (256 uint16-length-prefixed entries, C2SP tlog-tiles) and returns
 * the Merkle Tree Hash of those 256 leaves (RFC 9162: leaf SHA-256(0x00‖e), node SHA-256(0x01‖l‖r)) — the hash a
 * level-1 tile would hold for it. The worker source is a string evaluated in the thread (so it runs the same under
 * tsx, vitest and the built dist/); it repeats only those two hashing lines of merkle.ts, and
 * test/tlog/hash-pool.test.ts checks it gives merkle.ts's answer.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const sha = crypto.hash ? (b) => crypto.hash('sha256', b, 'buffer') : (b) => crypto.createHash('sha256').update(b).digest();
const leafBuf = Buffer.alloc(65536 + 1);
const nodeBuf = Buffer.alloc(65, 1);
const layer = Buffer.alloc(256 * 32);
function bundleRoot(bytes, out, outAt) {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let n = 0;
  let at = 0;
  while (at < b.length) {
    const len = (b[at] << 8) | b[at + 1];
    if (at + 2 + len > b.length) throw new Error('truncated entry bundle');
    if (n === 256) throw new Error('a full entry bundle holds 256 entries, not more');
    leafBuf[0] = 0;
    b.copy(leafBuf, 1, at + 2, at + 2 + len);
    sha(leafBuf.subarray(0, len + 1)).copy(layer, n * 32);
    n += 1;
    at += 2 + len;
  }
  if (n !== 256) throw new Error('a full entry bundle holds 256 entries, not ' + n);
  for (let width = 256; width > 1; width /= 2) {
    for (let i = 0; i < width; i += 2) {
      layer.copy(nodeBuf, 1, i * 32, i * 32 + 64);
      sha(nodeBuf).copy(layer, (i / 2) * 32);
    }
  }
  layer.copy(out, outAt, 0, 32);
}
parentPort.on('message', ({ id, list }) => {
  try {
    const out = Buffer.alloc(list.length * 32);
    list.forEach((bytes, k) => bundleRoot(bytes, out, k * 32));
    const roots = new Uint8Array(out.buffer, out.byteOffset, out.length);
    parentPort.postMessage({ id, roots });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
});
`;

/** A pool of hashing threads. `close()` when done. */
export class BundleHashPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (h: Uint8Array[]) => void; reject: (e: Error) => void }
  >();
  private next = 0;
  private failed: Error | null = null;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (m: { id: number; roots?: Uint8Array; error?: string }) => {
        const p = this.waiting.get(m.id);
        if (!p) return;
        this.waiting.delete(m.id);
        const roots = m.roots;
        if (roots)
          p.resolve(Array.from({ length: roots.length / 32 }, (_, k) => roots.subarray(k * 32, k * 32 + 32)));
        else p.reject(new Error(m.error ?? 'hashing failed'));
      });
      w.on('error', (e) => {
        this.failed = e;
        for (const p of this.waiting.values()) p.reject(e);
        this.waiting.clear();
      });
      this.workers.push(w);
    }
  }

  /**
   * The Merkle Tree Hash of each full entry bundle's 256 entries, in order. Several bundles per call keep the
   * per-message cost of the threads small. The bytes are copied to the worker.
   */
  subtreeHashes(bundles: readonly Uint8Array[]): Promise<Uint8Array[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, list: bundles });
    });
  }

  /** One bundle's hash (subtreeHashes of one). */
  async subtreeHash(bundle: Uint8Array): Promise<Uint8Array> {
    return (await this.subtreeHashes([bundle]))[0] as Uint8Array;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
