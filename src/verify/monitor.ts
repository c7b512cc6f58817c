/**
 * `cheongwon verify monitor`: follow the witnessed heads log and report any petition whose history forks or
 * shrinks.
 *
 * Each pass: verify the heads checkpoint (heads key + witness quorum) and that it extends the last one seen; read the
 * heads entries added since, proving each is in the witnessed tree; for every petition checkpoint among them, check
 * it against the last one seen for that petition — a smaller size is a shrunk history, the same size with another
 * root or a failing consistency proof (computed from the petition's tiles) is a fork. The monitor's memory (last
 * heads size and root, and each petition's last size and root) lives in a state file, replaced atomically; a
 * petition whose history was rewritten keeps its old record, so the finding is repeated until someone looks.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Checkpoint } from '../domain/tlog/checkpoint.js';
import {
  consistencyProof,
  consistencyProofNodes,
  hashEquals,
  inclusionProof,
  inclusionProofNodes,
  leafHash,
  MerkleProofError,
  type NodeId,
  verifyConsistency,
  verifyInclusion,
} from '../domain/tlog/merkle.js';
import { decodeBase64Strict, encodeBase64 } from '../domain/tlog/note.js';
import { type LogKeys, logPathFor, parseHeadsEntry } from '../domain/tlog/site-log.js';
import { bundleFor, TILE_WIDTH, tilesForNodes } from '../domain/tlog/tiles.js';
import { openSiteCheckpoint } from './consistency.js';
import { loadLogKeys } from './count.js';
import { HEADS_PREFIX, tileReaderFor, witnessedHeads } from './heads.js';
import { type FailureKind, VerifyFailure } from './outcome.js';
import { type LogSource, needText, readBundle } from './source.js';

export interface MonitorState {
  heads?: { size: number; root: string };
  logs: Record<string, { size: number; root: string; headsIndex: number }>;
}

export interface Finding {
  kind: Exclude<FailureKind, 'ok' | 'usage'>;
  origin: string;
  message: string;
}

export interface PassReport {
  headsSize: number;
  newEntries: number;
  petitionsSeen: number;
  findings: Finding[];
}

/** Reads the state file (an empty state when it does not exist). */
export function readMonitorState(file: string): MonitorState {
  if (!existsSync(file)) return { logs: {} };
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as MonitorState;
  } catch (e) {
    throw new VerifyFailure('usage', `the monitor state ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Replaces the state file atomically (temporary file, fsync, rename). */
export function writeMonitorState(file: string, state: MonitorState): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** One monitoring pass; updates `state` in place. Never throws for a finding: findings are returned. */
export async function monitorPass(
  source: LogSource,
  state: MonitorState,
  opts: { keys?: LogKeys; nowSeconds?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<PassReport> {
  const keys = opts.keys ?? (await loadLogKeys(source));
  const findings: Finding[] = [];
  const report = (kind: Finding['kind'], origin: string, message: string) =>
    findings.push({ kind, origin, message });
  let heads: Checkpoint;
  try {
    heads = (await witnessedHeads(source, keys, opts.nowSeconds)).checkpoint;
  } catch (e) {
    if (e instanceof VerifyFailure && e.kind !== 'usage') {
      report(e.kind, keys.heads.origin, e.message);
      return { headsSize: state.heads?.size ?? 0, newEntries: 0, petitionsSeen: 0, findings };
    }
    throw e;
  }
  const from = state.heads?.size ?? 0;
  if (state.heads) {
    const oldRoot = decodeBase64Strict(state.heads.root) as Uint8Array;
    if (heads.size < from) {
      report('shrunk-history', heads.origin, `the heads log went from ${from} entries to ${heads.size}`);
      return { headsSize: heads.size, newEntries: 0, petitionsSeen: 0, findings };
    }
    try {
      if (heads.size === from) {
        if (!hashEquals(oldRoot, heads.root))
          throw new MerkleProofError('new-root-mismatch', 'two heads trees of one size');
      } else if (from > 0) {
        const tiles = tilesForNodes(consistencyProofNodes(from, heads.size), heads.size);
        const reader = await tileReaderFor(source, HEADS_PREFIX, heads.size, tiles);
        verifyConsistency(from, heads.size, oldRoot, heads.root, consistencyProof(from, heads.size, reader));
      }
    } catch (e) {
      if (!(e instanceof MerkleProofError || e instanceof VerifyFailure)) throw e;
      report(
        'forked-history',
        heads.origin,
        `the heads log does not extend the one seen at size ${from}: ${e.message}`,
      );
      return { headsSize: heads.size, newEntries: 0, petitionsSeen: 0, findings };
    }
  }

  // The new heads entries, each proven to be in the witnessed tree.
  const fresh: Array<{ index: number; entry: Uint8Array }> = [];
  const firstBundle = Math.floor(from / TILE_WIDTH);
  const lastBundle = Math.ceil(heads.size / TILE_WIDTH) - 1;
  for (let b = firstBundle; b <= lastBundle; b++) {
    const entries = await readBundle(source, HEADS_PREFIX, b, bundleFor(b * TILE_WIDTH, heads.size).width);
    entries.forEach((entry, i) => {
      const index = b * TILE_WIDTH + i;
      if (index >= from) fresh.push({ index, entry });
    });
    opts.onProgress?.(b - firstBundle + 1, lastBundle - firstBundle + 1);
  }
  if (fresh.length > 0) {
    const nodes: NodeId[] = fresh.flatMap((f) => inclusionProofNodes(f.index, heads.size));
    const reader = await tileReaderFor(source, HEADS_PREFIX, heads.size, tilesForNodes(nodes, heads.size));
    for (const f of fresh) {
      try {
        verifyInclusion(
          f.index,
          heads.size,
          leafHash(f.entry),
          inclusionProof(f.index, heads.size, reader),
          heads.root,
        );
      } catch (e) {
        if (!(e instanceof MerkleProofError)) throw e;
        report(
          'dropped-leaf',
          heads.origin,
          `heads entry ${f.index} is not in the witnessed heads tree: ${e.message}`,
        );
        return { headsSize: heads.size, newEntries: fresh.length, petitionsSeen: 0, findings };
      }
    }
  }

  const latestSizes = new Map<string, number | undefined>();
  const seen = new Set<string>();
  for (const f of fresh) {
    let cp: Checkpoint;
    try {
      cp = parseHeadsEntry(f.entry);
    } catch {
      report('tampered-count', heads.origin, `heads entry ${f.index} is not a checkpoint body`);
      continue;
    }
    seen.add(cp.origin);
    const prev = state.logs[cp.origin];
    const record = () => {
      state.logs[cp.origin] = { size: cp.size, root: encodeBase64(cp.root), headsIndex: f.index };
    };
    if (!prev) {
      record();
      continue;
    }
    const prevRoot = decodeBase64Strict(prev.root) as Uint8Array;
    if (cp.size < prev.size) {
      report(
        'shrunk-history',
        cp.origin,
        `${cp.origin} went from ${prev.size} entries (heads entry ${prev.headsIndex}) to ${cp.size} (heads entry ${f.index})`,
      );
      continue;
    }
    if (cp.size === prev.size) {
      if (!hashEquals(prevRoot, cp.root)) {
        report(
          'forked-history',
          cp.origin,
          `${cp.origin} has two different trees of size ${cp.size} (heads entries ${prev.headsIndex} and ${f.index})`,
        );
      }
      continue;
    }
    const prefix = logPathFor(cp.origin, keys);
    if (!prefix) {
      record();
      continue;
    }
    if (!latestSizes.has(cp.origin)) {
      try {
        latestSizes.set(
          cp.origin,
          openSiteCheckpoint(await needText(source, `${prefix}/checkpoint`), keys, cp.origin).size,
        );
      } catch {
        latestSizes.set(cp.origin, undefined);
      }
    }
    try {
      const tiles = tilesForNodes(consistencyProofNodes(prev.size, cp.size), cp.size);
      const reader = await tileReaderFor(source, prefix, cp.size, tiles, latestSizes.get(cp.origin));
      verifyConsistency(prev.size, cp.size, prevRoot, cp.root, consistencyProof(prev.size, cp.size, reader));
      record();
    } catch (e) {
      if (!(e instanceof MerkleProofError || e instanceof VerifyFailure)) throw e;
      report(
        'forked-history',
        cp.origin,
        `${cp.origin}: size ${cp.size} (heads entry ${f.index}) does not extend size ${prev.size} (heads entry ${prev.headsIndex}): ${e.message}`,
      );
    }
  }
  state.heads = { size: heads.size, root: encodeBase64(heads.root) };
  return { headsSize: heads.size, newEntries: fresh.length, petitionsSeen: seen.size, findings };
}
