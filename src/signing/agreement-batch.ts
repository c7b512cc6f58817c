/**
 * The agreement writer's vocabulary — what it takes, what it answers, what a committed batch is, and the named
 * collaborators the composition root (src/wiring/signing.ts) gives it — importable without the writer itself.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AgreementToInsert } from '../repositories/writes/agreement-batches.js';

/**
 * A new agreement to store: the repository's row shape (`AgreementToInsert` in
 * src/repositories/writes/agreement-batches.ts, where each field is described), taken by `AgreementWriter.agree`.
 */
export type NewAgreement = AgreementToInsert;

export type AgreeOutcome =
  /** Stored and counted (one-click). */
  | { status: 'agreed'; agreementId: string; petitionId: string }
  /** Stored, waiting for the emailed link to be confirmed (email path). */
  | { status: 'pending'; agreementId: string; petitionId: string }
  /** This person had already agreed (or asked to) on this petition: nothing stored, nothing counted. */
  | { status: 'already_agreed'; agreementId: string; petitionId: string; confirmed: boolean };

export type ConfirmOutcome =
  | { status: 'confirmed'; agreementId: string; petitionId: string }
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
 * The per-petition append-only log of agreement commitments (issue 13, the transparency log): it appends every
 * agreement counted by a batch (`batch.counted`) inside that batch's transaction, on every path (single, split,
 * careful), so it can never miss an acknowledged agreement. Throwing aborts the batch.
 *
 * A log that records something needs a transaction to append in, so with one the writer never uses its
 * one-statement fast path (`single`); `recordsNothing: true` (only `NO_AGREEMENT_LOG`) keeps it.
 */
export interface AgreementLog {
  /** True only for a log that appends nothing (`NO_AGREEMENT_LOG`): batches may then be one autocommitted statement. */
  readonly recordsNothing: boolean;
  /** Appends the batch's counted agreements, in its transaction (after its agreements, before or after its counts). */
  append(trx: Kysely<Database>, batch: CommittedBatch): Promise<void>;
}

/**
 * The null agreement log, until the transparency log (issue 13) replaces it: appends nothing, and so keeps the
 * writer's one-statement fast path. Not a log: nothing is recorded anywhere.
 */
export const NO_AGREEMENT_LOG: AgreementLog = Object.freeze({
  recordsNothing: true,
  append: async () => {},
});
