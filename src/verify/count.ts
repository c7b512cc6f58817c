/**
 * `cheongwon verify count <petition>`: recompute a petition's count from its public log, with no access to the
 * site's database.
 *
 * 1. `/log/key`: the heads key, the petitions key, the witness policy.
 * 2. The petition checkpoint: signed by the petitions key, for this petition.            → bad-signature
 * 3. The heads checkpoint: signed by the heads key, cosigned by the witness quorum.      → bad-signature, no-quorum
 * 4. The latest heads entry for this petition, and its inclusion in the witnessed heads tree (heads tiles).
 *                                                                                         → not-witnessed, dropped-leaf
 * 5. Every entry bundle of the petition: the entries rebuild the signed root (and the witnessed root at the
 *    witnessed size), and the count rule holds.                      → dropped-leaf, forked-history, shrunk-history,
 *                                                                       tampered-count
 * 6. The count the site shows (closed petitions; `--expect`), and the close entry, equal the derived count.
 *                                                                                         → tampered-count
 * Only the files these steps need are fetched: the petition's hash tiles are never needed (the root is rebuilt from
 * the entries), and the heads log is read from its end.
 */
import { availableParallelism } from 'node:os';
import { CountRule, type DerivedCount } from '../domain/tlog/entries.js';
import { type Hash, hashEquals, leafHash, RootBuilder } from '../domain/tlog/merkle.js';
import { encodeBase64 } from '../domain/tlog/note.js';
import { PolicyError } from '../domain/tlog/policy.js';
import { type LogKeys, parseLogKeys, verifyPetitionCheckpoint } from '../domain/tlog/site-log.js';
import { bundleFor, TILE_WIDTH } from '../domain/tlog/tiles.js';
import { BundleHashPool } from './hash-pool.js';
import { checkpointFailure, findLatestHeadsEntry, proveHeadsInclusion, witnessedHeads } from './heads.js';
import { VerifyFailure } from './outcome.js';
import { type LogSource, needText, readBundleBytes } from './source.js';

export interface CountOptions {
  /** The count the user saw on the page; a difference is a tampered count. */
  expect?: number;
  /** Ask the site's API for the count it shows (`--from` only). */
  siteCount?: boolean;
  /** Refuse cosignatures dated after this (POSIX seconds). */
  nowSeconds?: number;
  /** Entry bundles read ahead while hashing (default 16). */
  concurrency?: number;
  /** Hashing threads for full entry bundles (default: the cores, at most 4; 0 hashes on this thread). */
  threads?: number;
  onProgress?: (stage: 'heads' | 'entries', done: number, total: number) => void;
}

export interface CountReport {
  petition: string;
  origin: string;
  size: number;
  root: string;
  derived: DerivedCount;
  /** The count the site's API shows, when asked. */
  siteCount?: { count: number; state: string };
  heads: {
    size: number;
    witnesses: Array<{ name: string; timestamp: number }>;
    /** Index of the heads entry for this petition. */
    entryIndex: number;
    /** The petition size recorded there (≤ size; the rest is not witnessed yet). */
    witnessedSize: number;
  };
  files: {
    fetched: number;
    bytes: number;
    needed: number;
    bundles: number;
    headsBundles: number;
    headsTiles: number;
  };
}

/** Loads and parses `/log/key`. */
export async function loadLogKeys(source: LogSource): Promise<LogKeys> {
  const text = await needText(source, 'log/key');
  try {
    return parseLogKeys(text);
  } catch (e) {
    if (e instanceof PolicyError)
      throw new VerifyFailure('unavailable', `/log/key is not a usable key file: ${e.message}`);
    throw e;
  }
}

/** Verifies one petition's count. Throws VerifyFailure (see the module comment for which kind when). */
export async function verifyCount(
  source: LogSource,
  petition: string,
  opts: CountOptions = {},
): Promise<CountReport> {
  if (!/^[0-9A-Za-z_-]+$/.test(petition))
    throw new VerifyFailure('usage', `"${petition}" is not a petition number`);
  const keys = await loadLogKeys(source);
  const prefix = `log/petitions/${petition}`;

  const note = await needText(source, `${prefix}/checkpoint`);
  let checkpoint: ReturnType<typeof verifyPetitionCheckpoint>['checkpoint'];
  try {
    ({ checkpoint } = verifyPetitionCheckpoint(note, keys, petition));
  } catch (e) {
    return checkpointFailure(e, `the checkpoint of petition ${petition}`);
  }

  const heads = await witnessedHeads(source, keys, opts.nowSeconds);
  const beforeHeads = source.stats.files;
  const found = await findLatestHeadsEntry(source, heads.checkpoint.size, checkpoint.origin, (done, total) =>
    opts.onProgress?.('heads', done, total),
  );
  if (!found) {
    throw new VerifyFailure(
      'not-witnessed',
      `the heads log (size ${heads.checkpoint.size}) holds no checkpoint of ${checkpoint.origin}: its history was never shown to the witnesses`,
    );
  }
  const headsBundles = source.stats.files - beforeHeads;
  const headsTiles = await proveHeadsInclusion(
    source,
    found.index,
    found.entry,
    heads.checkpoint.size,
    heads.checkpoint.root,
  );
  const witnessed = found.checkpoint;
  if (witnessed.size > checkpoint.size) {
    throw new VerifyFailure(
      'shrunk-history',
      `the site serves petition ${petition} at size ${checkpoint.size}, but already showed the witnesses size ${witnessed.size} (heads entry ${found.index})`,
    );
  }

  // Entries, in order, read ahead with a window of concurrent reads. The count rule runs here; full bundles are
  // hashed on worker threads (hash-pool.ts) and folded in order; the last partial bundle, and the one where the
  // witnessed size falls, are hashed here leaf by leaf so the witnessed root can be taken at that size.
  const total = Math.ceil(checkpoint.size / TILE_WIDTH);
  const window = Math.max(1, opts.concurrency ?? 16);
  const pending = new Map<number, Promise<{ entries: Uint8Array[]; bytes: Uint8Array }>>();
  const request = (b: number) => {
    if (b < total && !pending.has(b)) {
      const read = readBundleBytes(source, prefix, b, bundleFor(b * TILE_WIDTH, checkpoint.size).width);
      read.catch(() => undefined); // a read-ahead past a failure must not become an unhandled rejection
      pending.set(b, read);
    }
  };
  const threads = opts.threads ?? Math.min(4, availableParallelism());
  const pool = threads > 0 && total > 8 ? new BundleHashPool(threads) : null;
  const builder = new RootBuilder();
  const rule = new CountRule(checkpoint.size);
  let witnessedRoot: Hash | undefined = witnessed.size === 0 ? builder.root() : undefined;
  // A part is either leaf hashes (folded one by one) or a batch of full-bundle roots from the pool.
  const parts: Array<{ leaves: Hash[] } | { roots: Promise<Uint8Array[]> }> = [];
  let batch: Uint8Array[] = [];
  const flush = () => {
    if (!pool || batch.length === 0) return;
    const roots = pool.subtreeHashes(batch);
    roots.catch(() => undefined);
    parts.push({ roots });
    batch = [];
  };
  let folded = 0;
  const fold = async (upTo: number) => {
    for (; folded < upTo; folded++) {
      const part = parts[folded] as { leaves: Hash[] } | { roots: Promise<Uint8Array[]> };
      parts[folded] = { leaves: [] };
      if ('leaves' in part) {
        for (const h of part.leaves) {
          builder.push(h);
          if (builder.size === witnessed.size) witnessedRoot = builder.root();
        }
      } else {
        for (const h of await part.roots) {
          builder.pushNode(h, 8);
          if (builder.size === witnessed.size) witnessedRoot = builder.root();
        }
      }
    }
  };
  try {
    for (let b = 0; b < total; b++) {
      for (let k = b; k < b + window; k++) request(k);
      const { entries, bytes } = await (pending.get(b) as Promise<{
        entries: Uint8Array[];
        bytes: Uint8Array;
      }>);
      pending.delete(b);
      for (const e of entries) rule.add(e);
      const start = b * TILE_WIDTH;
      const splitsWitnessed = witnessed.size > start && witnessed.size < start + entries.length;
      if (pool && entries.length === TILE_WIDTH && !splitsWitnessed) {
        batch.push(bytes);
        if (batch.length === 16) flush();
      } else {
        flush();
        parts.push({ leaves: entries.map(leafHash) });
      }
      if (parts.length > 32) await fold(parts.length - 32); // bound the work in flight
      opts.onProgress?.('entries', b + 1, total);
    }
    flush();
    await fold(parts.length);
  } finally {
    await pool?.close();
  }
  const root = builder.root();
  if (!hashEquals(root, checkpoint.root)) {
    throw new VerifyFailure(
      'dropped-leaf',
      `the ${checkpoint.size} published entries of petition ${petition} do not rebuild its signed root: an entry was removed or changed`,
    );
  }
  if (!witnessedRoot || !hashEquals(witnessedRoot, witnessed.root)) {
    throw new VerifyFailure(
      'forked-history',
      `petition ${petition}'s first ${witnessed.size} entries do not match what the witnesses saw (heads entry ${found.index}): its history was rewritten`,
    );
  }

  const derived = rule.result();
  const report: CountReport = {
    petition,
    origin: checkpoint.origin,
    size: checkpoint.size,
    root: encodeBase64(root),
    derived,
    heads: {
      size: heads.checkpoint.size,
      witnesses: heads.witnesses,
      entryIndex: found.index,
      witnessedSize: witnessed.size,
    },
    files: {
      fetched: source.stats.files,
      bytes: source.stats.bytes,
      needed: 3 + total + headsBundles + headsTiles,
      bundles: total,
      headsBundles,
      headsTiles,
    },
  };
  if (derived.problems.length > 0) {
    const first = derived.problems.slice(0, 5).map((p) => p.message);
    throw Object.assign(
      new VerifyFailure(
        'tampered-count',
        `the entries of petition ${petition} break the count rule (${derived.problems.length} problem(s)): ${first.join('; ')}`,
      ),
      { report },
    );
  }
  if (opts.expect !== undefined && opts.expect !== derived.count) {
    throw Object.assign(
      new VerifyFailure(
        'tampered-count',
        `the count shown is ${opts.expect}, but the log's entries give ${derived.count}`,
      ),
      { report },
    );
  }
  if (opts.siteCount) {
    const shown = await siteCount(source, petition);
    if (shown) {
      report.siteCount = shown;
      // An open petition's page runs ahead of its last checkpoint by the agreements of the last second or two; a
      // closed one must match exactly.
      if (derived.closedAt !== undefined && shown.count !== derived.count) {
        throw Object.assign(
          new VerifyFailure(
            'tampered-count',
            `the site shows ${shown.count} for closed petition ${petition}, but its log's entries give ${derived.count}`,
          ),
          { report },
        );
      }
    }
  }
  return report;
}

/** The count the site's public API shows (`/api/v1/petitions/<id>/count`), or null when it has no such API. */
async function siteCount(
  source: LogSource,
  petition: string,
): Promise<{ count: number; state: string } | null> {
  const b = await source.get(`api/v1/petitions/${petition}/count`);
  if (!b) return null;
  try {
    const j = JSON.parse(new TextDecoder().decode(b)) as { count?: unknown; state?: unknown };
    if (typeof j.count !== 'number') return null;
    return { count: j.count, state: String(j.state ?? '') };
  } catch {
    return null;
  }
}
