/**
 * C2SP tlog-proof (https://c2sp.org/tlog-proof): an offline-verifiable proof that an entry is in a log — the
 * `.tlog-proof` file a signer downloads as the receipt of an agreement.
 *
 *     c2sp.org/tlog-proof@v1
 *     extra <base64>            (optional)
 *     index <decimal>
 *     <base64 hash>             (inclusion proof, leaf's sibling first; zero or more lines)
 *     <empty line>
 *     <signed checkpoint, verbatim, with any cosignatures>
 *
 * Cheongwon puts the log entry itself in `extra` (for an agreement: the 65-byte entry 0x01 ‖ tag ‖ commitment), so
 * the receipt carries what is needed to recompute the leaf hash; the signer's receipt secret, kept apart, proves
 * the commitment is theirs (entries.ts receiptCommitment). Pure.
 */
import { HASH_SIZE, type Hash, leafHash, MerkleProofError, verifyInclusion } from './merkle.js';
import { decodeBase64Strict, encodeBase64 } from './note.js';
import { type Policy, type VerifiedCheckpoint, verifyCheckpoint } from './policy.js';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  /** Opaque extra data (unauthenticated until the leaf hash it rebuilds verifies). */
  extra?: Uint8Array;
  index: number;
  proof: Hash[];
  /** The signed checkpoint note, verbatim. */
  checkpoint: string;
}

export class TlogProofError extends Error {
  constructor(
    readonly code: 'malformed' | 'not-included',
    message: string,
  ) {
    super(message);
    this.name = 'TlogProofError';
  }
}

/** Formats a proof file. Throws TlogProofError('malformed') on a bad index, hash or checkpoint. */
export function formatTlogProof(p: TlogProof): string {
  if (!Number.isSafeInteger(p.index) || p.index < 0)
    throw new TlogProofError('malformed', `index ${p.index}`);
  if (p.proof.length > 63 || p.proof.some((h) => h.length !== HASH_SIZE)) {
    throw new TlogProofError('malformed', 'an inclusion proof is at most 63 hashes of 32 bytes');
  }
  if (!p.checkpoint.endsWith('\n'))
    throw new TlogProofError('malformed', 'the checkpoint must end with a newline');
  const lines = [TLOG_PROOF_HEADER];
  if (p.extra !== undefined) lines.push(`extra ${encodeBase64(p.extra)}`);
  lines.push(`index ${p.index}`);
  for (const h of p.proof) lines.push(encodeBase64(h));
  return `${lines.join('\n')}\n\n${p.checkpoint}`;
}

/** Parses a proof file. Throws TlogProofError('malformed') saying which line is wrong. */
export function parseTlogProof(text: string): TlogProof {
  const lines = text.split('\n');
  let i = 0;
  const next = () => lines[i++];
  if (next() !== TLOG_PROOF_HEADER)
    throw new TlogProofError('malformed', `the first line must be ${TLOG_PROOF_HEADER}`);
  let line = next();
  let extra: Uint8Array | undefined;
  if (line?.startsWith('extra ')) {
    const b = decodeBase64Strict(line.slice(6));
    if (!b) throw new TlogProofError('malformed', 'the extra line is not base64');
    extra = b;
    line = next();
  }
  const m = /^index (0|[1-9][0-9]*)$/.exec(line ?? '');
  if (!m) throw new TlogProofError('malformed', 'the index line must be "index <decimal>"');
  const index = Number(m[1]);
  if (!Number.isSafeInteger(index)) throw new TlogProofError('malformed', 'the index is too large');
  const proof: Hash[] = [];
  for (;;) {
    line = next();
    if (line === undefined)
      throw new TlogProofError('malformed', 'the proof has no empty line before the checkpoint');
    if (line === '') break;
    const h = decodeBase64Strict(line);
    if (!h || h.length !== HASH_SIZE)
      throw new TlogProofError('malformed', `proof line ${proof.length + 1} is not a base64 SHA-256 hash`);
    proof.push(h);
    if (proof.length > 63)
      throw new TlogProofError('malformed', 'the inclusion proof has more than 63 hashes');
  }
  const checkpoint = lines.slice(i).join('\n');
  if (checkpoint.length === 0) throw new TlogProofError('malformed', 'the proof has no checkpoint');
  return extra !== undefined ? { extra, index, proof, checkpoint } : { index, proof, checkpoint };
}

/**
 * Verifies a proof file: the checkpoint under `policy` (log signature, witness quorum; see policy.ts
 * verifyCheckpoint, whose CheckpointVerificationError passes through), then the inclusion of the leaf at `index`.
 * The leaf is `entry` (hashed with leafHash) or, when omitted, the `extra` data. Throws TlogProofError ('malformed',
 * 'not-included') otherwise.
 */
export function verifyTlogProof(
  text: string,
  policy: Policy,
  opts: { entry?: Uint8Array; origin?: string; nowSeconds?: number } = {},
): { proof: TlogProof; verified: VerifiedCheckpoint; entry: Uint8Array } {
  const proof = parseTlogProof(text);
  const verified = verifyCheckpoint(proof.checkpoint, policy, opts);
  const entry = opts.entry ?? proof.extra;
  if (entry === undefined)
    throw new TlogProofError('malformed', 'the proof has no entry (extra) and none was given');
  try {
    verifyInclusion(
      proof.index,
      verified.checkpoint.size,
      leafHash(entry),
      proof.proof,
      verified.checkpoint.root,
    );
  } catch (e) {
    if (e instanceof MerkleProofError) {
      throw new TlogProofError(
        'not-included',
        `entry ${proof.index} is not in the signed tree: ${e.message}`,
      );
    }
    throw e;
  }
  return { proof, verified, entry };
}
