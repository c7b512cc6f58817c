/**
 * `cheongwon verify receipt <file.tlog-proof>`: checks a signer's receipt.
 *
 * Offline, the receipt proves that its entry (carried in `extra`) is leaf `index` of the petition checkpoint it
 * holds, signed by the petitions key. With the receipt secret, it also proves the entry is the signer's (its
 * commitment is SHA-256 of the secret). Online (`--from` / `--dir`), it also checks that the site's latest
 * checkpoint of that petition still holds the entry (a later checkpoint must extend the receipt's: the inclusion
 * proof and the consistency are recomputed from the current tiles) and that the heads log witnessed it.
 */
import { decodeEntry, receiptCommitment } from '../domain/tlog/entries.js';
import {
  consistencyProof,
  consistencyProofNodes,
  type Hash,
  hashEquals,
  inclusionProof,
  inclusionProofNodes,
  leafHash,
  MerkleProofError,
  verifyConsistency,
  verifyInclusion,
} from '../domain/tlog/merkle.js';
import type { LogKeys } from '../domain/tlog/site-log.js';
import { logPathFor, verifyPetitionCheckpoint } from '../domain/tlog/site-log.js';
import { tilesForNodes } from '../domain/tlog/tiles.js';
import { parseTlogProof, TlogProofError } from '../domain/tlog/tlog-proof.js';
import {
  checkpointFailure,
  findLatestHeadsEntry,
  proveHeadsInclusion,
  tileReaderFor,
  witnessedHeads,
} from './heads.js';
import { VerifyFailure } from './outcome.js';
import { type LogSource, needText } from './source.js';

export interface ReceiptReport {
  origin: string;
  index: number;
  receiptSize: number;
  kind: string;
  /** True when a secret was given and matches the commitment. */
  secretMatches?: boolean;
  /** The site's current size, when checked online. */
  currentSize?: number;
  /** The petition size the witnessed heads log records, when checked online. */
  witnessedSize?: number;
}

/**
 * Verifies a receipt's text. `keys` are the site's log keys; `source` (optional) is the live site or mirror for the
 * online checks; `secret` is the 16-byte receipt secret. Throws VerifyFailure: 'receipt-invalid' (malformed file,
 * entry not included, wrong secret), 'bad-signature', and online 'dropped-leaf', 'forked-history', 'shrunk-history',
 * 'not-witnessed', 'no-quorum'.
 */
export async function verifyReceipt(
  text: string,
  keys: LogKeys,
  opts: { source?: LogSource; secret?: Uint8Array; nowSeconds?: number } = {},
): Promise<ReceiptReport> {
  let proof: ReturnType<typeof parseTlogProof>;
  try {
    proof = parseTlogProof(text);
  } catch (e) {
    if (e instanceof TlogProofError)
      throw new VerifyFailure('receipt-invalid', `the receipt file is malformed: ${e.message}`);
    throw e;
  }
  let checkpoint: ReturnType<typeof verifyPetitionCheckpoint>['checkpoint'];
  try {
    ({ checkpoint } = verifyPetitionCheckpoint(proof.checkpoint, keys));
  } catch (e) {
    return checkpointFailure(e, "the receipt's checkpoint");
  }
  if (!proof.extra)
    throw new VerifyFailure('receipt-invalid', 'the receipt carries no entry (no extra line)');
  const entry = proof.extra;
  let kind: string;
  try {
    kind = decodeEntry(entry).kind;
  } catch (e) {
    throw new VerifyFailure('receipt-invalid', `the receipt's entry is malformed: ${(e as Error).message}`);
  }
  const leaf = leafHash(entry);
  try {
    verifyInclusion(proof.index, checkpoint.size, leaf, proof.proof, checkpoint.root);
  } catch (e) {
    if (e instanceof MerkleProofError) {
      throw new VerifyFailure(
        'receipt-invalid',
        `entry ${proof.index} is not in the receipt's signed checkpoint: ${e.message}`,
      );
    }
    throw e;
  }
  const report: ReceiptReport = {
    origin: checkpoint.origin,
    index: proof.index,
    receiptSize: checkpoint.size,
    kind,
  };
  if (opts.secret) {
    const decoded = decodeEntry(entry);
    if (decoded.kind !== 'agreement')
      throw new VerifyFailure('receipt-invalid', 'a receipt secret belongs to an agreement entry');
    let commitment: Uint8Array;
    try {
      commitment = receiptCommitment(opts.secret);
    } catch (e) {
      throw new VerifyFailure('usage', (e as Error).message);
    }
    if (!hashEquals(commitment, decoded.commitment)) {
      throw new VerifyFailure(
        'receipt-invalid',
        'the receipt secret does not match the entry: this agreement is not yours',
      );
    }
    report.secretMatches = true;
  }
  if (!opts.source) return report;

  // Online: the latest checkpoint must still hold the entry, and extend the receipt's checkpoint.
  const source = opts.source;
  const prefix = logPathFor(checkpoint.origin, keys);
  if (!prefix)
    throw new VerifyFailure(
      'receipt-invalid',
      `the receipt is for ${checkpoint.origin}, not a log of this site`,
    );
  let current: ReturnType<typeof verifyPetitionCheckpoint>['checkpoint'];
  try {
    ({ checkpoint: current } = verifyPetitionCheckpoint(
      await needText(source, `${prefix}/checkpoint`),
      keys,
    ));
  } catch (e) {
    return checkpointFailure(e, 'the current petition checkpoint');
  }
  if (current.size < checkpoint.size) {
    throw new VerifyFailure(
      'shrunk-history',
      `the site now shows ${current.size} entries, fewer than the ${checkpoint.size} of the receipt`,
    );
  }
  const size = current.size;
  const heads = await witnessedHeads(source, keys, opts.nowSeconds);
  const found = await findLatestHeadsEntry(source, heads.checkpoint.size, checkpoint.origin);
  if (!found || found.checkpoint.size <= proof.index) {
    throw new VerifyFailure(
      'not-witnessed',
      `the witnessed heads log does not yet hold entry ${proof.index} of ${checkpoint.origin}`,
    );
  }
  await proveHeadsInclusion(source, found.index, found.entry, heads.checkpoint.size, heads.checkpoint.root);
  const witnessed = found.checkpoint;
  if (witnessed.size > size) {
    throw new VerifyFailure(
      'shrunk-history',
      `the site shows ${size} entries, fewer than the ${witnessed.size} the witnesses saw`,
    );
  }
  const nodes = [
    ...inclusionProofNodes(proof.index, size),
    ...consistencyProofNodes(checkpoint.size, size),
    ...consistencyProofNodes(witnessed.size, size),
  ];
  const reader = await tileReaderFor(source, prefix, size, tilesForNodes(nodes, size));
  try {
    verifyInclusion(proof.index, size, leaf, inclusionProof(proof.index, size, reader), current.root);
  } catch (e) {
    if (e instanceof MerkleProofError) {
      throw new VerifyFailure(
        'dropped-leaf',
        `the site's current tree (size ${size}) no longer holds entry ${proof.index}: ${e.message}`,
      );
    }
    throw e;
  }
  for (const [older, what] of [
    [checkpoint, "the receipt's"],
    [witnessed, 'the witnessed'],
  ] as const) {
    try {
      if (older.size === size) {
        if (!hashEquals(older.root as Hash, current.root))
          throw new MerkleProofError('new-root-mismatch', 'two trees of one size differ');
      } else if (older.size > 0) {
        verifyConsistency(
          older.size,
          size,
          older.root,
          current.root,
          consistencyProof(older.size, size, reader),
        );
      }
    } catch (e) {
      if (e instanceof MerkleProofError) {
        throw new VerifyFailure(
          'forked-history',
          `the current tree of ${checkpoint.origin} does not extend ${what} one (size ${older.size}): ${e.message}`,
        );
      }
      throw e;
    }
  }
  report.currentSize = size;
  report.witnessedSize = witnessed.size;
  return report;
}
