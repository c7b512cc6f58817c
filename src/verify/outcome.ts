/**
 * What `cheongwon verify` can find, and the exit code a script sees for each (README "Checking a count yourself"
 * documents the table). Each kind of wrongdoing has its own code, so a newsroom's script can tell "the count was
 * changed" from "a witness is missing" without parsing messages.
 */
export const EXIT_CODES = {
  /** Everything checked out. */
  ok: 0,
  /** Bad command line, or an unexpected error in the verifier itself. */
  usage: 1,
  /** A file could not be fetched or read (network, missing mirror file that is not part of a proof). */
  unavailable: 3,
  /** A log signature or a witness cosignature does not verify, or the checkpoint is not signed by the published key. */
  'bad-signature': 10,
  /** The heads checkpoint is not cosigned by the witness quorum /log/key asks for. */
  'no-quorum': 11,
  /** The published entries do not rebuild the signed tree: a leaf is missing, or an entry was changed. */
  'dropped-leaf': 12,
  /** The count the site shows (or the close entry) is not the count the entries give, or the entries break the count rule. */
  'tampered-count': 13,
  /** Two signed checkpoints of one log are not consistent: the history was rewritten (a fork). */
  'forked-history': 14,
  /** A log now shows fewer entries than it already published: the history shrank. */
  'shrunk-history': 15,
  /** The petition checkpoint was never published in the witnessed heads log. */
  'not-witnessed': 16,
  /** A receipt's entry is not in the log, or is not the signer's (wrong receipt secret). */
  'receipt-invalid': 17,
} as const;

export type FailureKind = keyof typeof EXIT_CODES;

/** A finding that ends a verification, with the exit code of its kind. */
export class VerifyFailure extends Error {
  constructor(
    readonly kind: Exclude<FailureKind, 'ok'>,
    message: string,
  ) {
    super(message);
    this.name = 'VerifyFailure';
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

/** Short labels printed before a failure message. */
export const FAILURE_LABELS: Record<Exclude<FailureKind, 'ok'>, string> = {
  usage: 'USAGE',
  unavailable: 'UNAVAILABLE',
  'bad-signature': 'BAD SIGNATURE',
  'no-quorum': 'MISSING WITNESS QUORUM',
  'dropped-leaf': 'DROPPED LEAF',
  'tampered-count': 'TAMPERED COUNT',
  'forked-history': 'FORKED HISTORY',
  'shrunk-history': 'SHRUNK HISTORY',
  'not-witnessed': 'NOT WITNESSED',
  'receipt-invalid': 'RECEIPT INVALID',
};
