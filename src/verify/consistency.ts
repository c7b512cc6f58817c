/**
 * `cheongwon verify consistency <old> <new>`: are two saved checkpoints of one log (a petition's or the heads log)
 * consistent — is the newer an extension of the older? Both must be signed by the site's key for that log; the
 * consistency proof is computed from the site's tiles (only the tiles the proof needs).
 */
import type { Checkpoint } from '../domain/tlog/checkpoint.js';
import { parseCheckpoint } from '../domain/tlog/checkpoint.js';
import {
  consistencyProof,
  consistencyProofNodes,
  hashEquals,
  MerkleProofError,
  verifyConsistency,
} from '../domain/tlog/merkle.js';
import { NoteError, noteVerifier, openNote, splitNote } from '../domain/tlog/note.js';
import { type LogKeys, logPathFor, verifyPetitionCheckpoint } from '../domain/tlog/site-log.js';
import { tilesForNodes } from '../domain/tlog/tiles.js';
import { checkpointFailure, tileReaderFor } from './heads.js';
import { VerifyFailure } from './outcome.js';
import { type LogSource, needText } from './source.js';

/** Opens a checkpoint of either log of the site (log signature only; cosignatures are not needed here). */
export function openSiteCheckpoint(note: string, keys: LogKeys, what: string): Checkpoint {
  let origin: string;
  try {
    origin = parseCheckpoint(splitNote(note).text).origin;
  } catch (e) {
    throw new VerifyFailure('bad-signature', `${what} is not a signed checkpoint: ${(e as Error).message}`);
  }
  if (origin === keys.heads.origin) {
    try {
      openNote(note, [noteVerifier(keys.heads.vkey)]);
    } catch (e) {
      const msg = e instanceof NoteError ? e.message : String(e);
      throw new VerifyFailure('bad-signature', `${what}: the heads key's signature does not verify: ${msg}`);
    }
    return parseCheckpoint(splitNote(note).text);
  }
  try {
    return verifyPetitionCheckpoint(note, keys).checkpoint;
  } catch (e) {
    return checkpointFailure(e, what);
  }
}

export interface ConsistencyReport {
  origin: string;
  oldSize: number;
  newSize: number;
  tilesRead: number;
}

/**
 * Checks that `newNote` extends `oldNote`. Throws VerifyFailure: 'bad-signature', 'usage' (two different logs),
 * 'shrunk-history' (the newer is smaller), 'forked-history' (not consistent).
 */
export async function verifyConsistencyOf(
  source: LogSource,
  keys: LogKeys,
  oldNote: string,
  newNote: string,
): Promise<ConsistencyReport> {
  const older = openSiteCheckpoint(oldNote, keys, 'the old checkpoint');
  const newer = openSiteCheckpoint(newNote, keys, 'the new checkpoint');
  if (older.origin !== newer.origin) {
    throw new VerifyFailure('usage', `the checkpoints are of two logs: ${older.origin} and ${newer.origin}`);
  }
  const report = { origin: older.origin, oldSize: older.size, newSize: newer.size, tilesRead: 0 };
  if (newer.size < older.size) {
    throw new VerifyFailure(
      'shrunk-history',
      `${older.origin} went from ${older.size} entries to ${newer.size}`,
    );
  }
  if (newer.size === older.size) {
    if (!hashEquals(older.root, newer.root)) {
      throw new VerifyFailure(
        'forked-history',
        `${older.origin} signed two different trees of size ${older.size}`,
      );
    }
    return report;
  }
  if (older.size === 0) return report;
  const prefix = logPathFor(older.origin, keys);
  if (!prefix) throw new VerifyFailure('usage', `${older.origin} is not a log of this site`);
  // The latest checkpoint's size lets replaced partial tiles of `newer.size` be read from their successors.
  let latest: number | undefined;
  try {
    latest = openSiteCheckpoint(
      await needText(source, `${prefix}/checkpoint`),
      keys,
      'the current checkpoint',
    ).size;
  } catch {
    latest = undefined;
  }
  const tiles = tilesForNodes(consistencyProofNodes(older.size, newer.size), newer.size);
  const reader = await tileReaderFor(source, prefix, newer.size, tiles, latest);
  report.tilesRead = tiles.length;
  try {
    verifyConsistency(
      older.size,
      newer.size,
      older.root,
      newer.root,
      consistencyProof(older.size, newer.size, reader),
    );
  } catch (e) {
    if (e instanceof MerkleProofError) {
      throw new VerifyFailure(
        'forked-history',
        `${older.origin}: the checkpoint of size ${newer.size} does not extend the one of size ${older.size} (${e.message}): its history was rewritten`,
      );
    }
    throw e;
  }
  return report;
}
