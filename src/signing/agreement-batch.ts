/**
 * The agreement writer's vocabulary — what it takes, what it answers, what a committed batch is, and the named
 * collaborators the composition root (src/wiring/signing.ts) gives it — importable without the writer itself.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Executor } from '../repositories/petitions.js';
import type { AgreementToInsert } from '../repositories/writes/agreement-batches.js';

/**
 * A new agreement to store: the repository's row shape (`AgreementToInsert` in
 * src/repositories/writes/agreement-batches.ts, where each field is described), taken by `AgreementWriter.agree`.
 */
export type NewAgreement = AgreementToInsert;

export type AgreeOutcome =
  /**
   * Stored and counted (one-click). `leafIndex`: the agreement's index in its petition's transparency log (decimal
   * string), absent when the log records nothing or the index could not be read after commit (it is in the log).
   */
  | { status: 'agreed'; agreementId: string; petitionId: string; leafIndex?: string }
  /** Stored, waiting for the emailed link to be confirmed (email path). */
  | { status: 'pending'; agreementId: string; petitionId: string }
  /** This person had already agreed (or asked to) on this petition: nothing stored, nothing counted. */
  | { status: 'already_agreed'; agreementId: string; petitionId: string; confirmed: boolean };

/**
 * A signing command's answer: the writer's outcome and, for an agreement stored now, the receipt secret (32 hex
 * characters) whose commitment is in its log entry — the signer's to keep (never stored).
 */
export type SigningAnswer = AgreeOutcome & { receiptSecret?: string };

export type ConfirmOutcome =
  /** Confirmed and counted now; `leafIndex` as for `AgreeOutcome` 'agreed'. */
  | { status: 'confirmed'; agreementId: string; petitionId: string; leafIndex?: string }
  | { status: 'already_confirmed'; agreementId: string; petitionId: string };

/**
 * What the signing commands ask of the agreement writer (src/signing/agreement-writer.ts `AgreementWriter`): store
 * an agreement, confirm an emailed link — each settling after its batch committed.
 */
export interface AgreementWrites {
  agree(request: NewAgreement): Promise<AgreeOutcome>;
  confirm(tokenHash: string): Promise<ConfirmOutcome>;
}

/** What one batch wrote, handed to its collaborators inside the same transaction. */
export interface CommittedBatch {
  /** The batch's instant (UTC): `created_at`/`confirmed_at` of its rows, the moment of its threshold crossings. */
  now: Date;
  /** Agreements that became counted in this batch (new one-click rows and confirmed email rows). */
  counted: Array<{ agreementId: string; petitionId: string; signerKey: string }>;
}

/**
 * Writes that follow from counts, in the transaction of the batches whose counts may have effects (a threshold
 * crossed or undone, a petition collecting pre-agreements): the careful path, where the counts and their effects
 * (`countEffects`) are already written when it runs. Batches on the fast paths have no such effects and do not
 * call it. Throwing aborts the batch. In the app: the notifications outbox (`notificationWrites`).
 */
export interface CountEffectWrites {
  afterCounts(trx: Kysely<Database>, batch: CommittedBatch): Promise<void>;
}

/**
 * Told, after each commit, the petitions whose counts it changed (ids as decimal strings), e.g. to retire cached
 * pages (`site.pages.countsChanged`). It runs after commit: a failure is logged and never reaches the callers.
 */
export interface CountListener {
  countsChanged(petitionIds: string[]): void;
}

/**
 * The per-petition transparency log's part in a batch (issue 13): it makes the entry of every agreement the batch
 * counts, and the batch's own statement stores those entries — in the statement (single, careful) or the final
 * message (split) that moves the count, with their indices taken from `petitions.log_size`, which that same UPDATE
 * advances — so an agreement is counted if and only if its leaf is stored (src/repositories/writes/
 * agreement-batches.ts). The real log is src/transparency/agreement-log.ts `TransparencyAgreementLog`.
 */
export interface AgreementLog {
  /**
   * True only for `NO_AGREEMENT_LOG` (benchmarks measure the writer without a log): batches then store no entries
   * and leave `log_size` alone.
   */
  readonly recordsNothing: boolean;
  /**
   * The agreement entries (kind 0x01: tag = HMAC(K_p, signer key), commitment = SHA-256(receipt secret)) of the
   * given agreements, in order; null for an agreement whose petition's log key was destroyed (its signer data
   * anonymised: such a petition takes no agreement, and the batch refuses one without an entry). May read or create
   * petition log keys through `db` (the batch's transaction for confirmations, else the pool).
   */
  entries(
    db: Executor,
    agreements: ReadonlyArray<{ petitionId: string; signerKey: string; commitment: Uint8Array }>,
  ): Promise<Array<Uint8Array | null>>;
}

/**
 * No log: entries are neither made nor stored. Only for `bench:sign`'s log-off baseline and tests of the writer
 * alone; every deployment writes the transparency log (src/wiring/signing.ts).
 */
export const NO_AGREEMENT_LOG: AgreementLog = Object.freeze({
  recordsNothing: true,
  entries: async (_db: Executor, agreements: ReadonlyArray<unknown>) => agreements.map(() => null),
});
