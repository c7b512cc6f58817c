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
parentPort.on('message', ({ id, bytes }) => {
  try {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    let layer = [];
    let at = 0;
    while (at < b.length) {
      const len = (b[at] << 8) | b[at + 1];
      if (at + 2 + len > b.length) throw new Error('truncated entry bundle');
      leafBuf[0] = 0;
      b.copy(leafBuf, 1, at + 2, at + 2 + len);
      layer.push(sha(leafBuf.subarray(0, len + 1)));
      at += 2 + len;
    }
    if (layer.length !== 256) throw new Error('a full entry bundle holds 256 entries, not ' + layer.length);
    while (layer.length > 1) {
      const up = [];
      for (let i = 0; i < layer.length; i += 2) {
        layer[i].copy(nodeBuf, 1);
        layer[i + 1].copy(nodeBuf, 33);
        up.push(sha(nodeBuf));
      }
      layer = up;
    }
    const root = new Uint8Array(layer[0]);
    parentPort.postMessage({ id, root }, [root.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
});
`;

/** A pool of hashing threads. `close()` when done. */
export class BundleHashPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (h: Uint8Array) => void; reject: (e: Error) => void }
  >();
  private next = 0;
  private failed: Error | null = null;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (m: { id: number; root?: Uint8Array; error?: string }) => {
        const p = this.waiting.get(m.id);
        if (!p) return;
        this.waiting.delete(m.id);
        if (m.root) p.resolve(m.root);
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

  /** The Merkle Tree Hash of a full entry bundle's 256 entries. The bytes are copied to the worker. */
  subtreeHash(bundle: Uint8Array): Promise<Uint8Array> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, bytes: bundle });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
