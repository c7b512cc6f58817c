import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CountRules } from '../domain/count-effects.js';
import { DomainError } from '../domain/errors.js';
import { INVALIDATION_BATCH } from '../domain/fraud.js';
import { encodeInvalidationEntry, encodeStatementEntry, statementHash } from '../domain/tlog/entries.js';
import { appendAudit } from '../repositories/writes/audit.js';
import {
  endInvalidationRow,
  insertLogEntries,
  lockCountedPetition,
  lockInvalidation,
  markInvalidated,
  nextTargets,
  setStatementIndex,
  takeLogIndices,
  writeInvalidatedCount,
} from '../repositories/writes/invalidations.js';

export interface InvalidationRunDeps {
  db: Kysely<Database>;
  now: () => Date;
  /** The count rules (thresholds and their effects), as the agreement writer uses them. */
  rules: CountRules;
  /** Agreements per transaction (default INVALIDATION_BATCH). */
  batchSize?: number;
}

/** Where a run stands after a batch. */
export interface InvalidationProgress {
  state: 'requested' | 'running' | 'done' | 'cancelled' | 'rejected';
  planned: number;
  applied: number;
}

/**
 * Runs ONE batch of an approved invalidation, in one transaction under the petition's row lock: the next targets
 * still counted are marked invalidated; the log gets the statement entry (first batch only: SHA-256 of the published
 * statement and the approved number) and one invalidation entry per agreement (its leaf, the statement's leaf, the
 * reason code); the count is set through `writeCount` (src/domain/count-effects.ts), so a petition pushed back below
 * its threshold returns to "no response due" unless an answer is already published. A request that is not running
 * (cancelled, not yet approved) is left alone. The run ends ('done') when no target is left.
 * @throws DomainError('not_found') for an unknown request
 */
export async function runInvalidationBatch(
  deps: InvalidationRunDeps,
  invalidationId: string,
): Promise<InvalidationProgress> {
  const limit = deps.batchSize ?? INVALIDATION_BATCH;
  return await deps.db.transaction().execute(async (trx) => {
    const inv = await lockInvalidation(trx, invalidationId);
    if (!inv) throw new DomainError('not_found', 'There is no such invalidation request.');
    if (inv.state !== 'running') return { state: inv.state, planned: inv.planned, applied: inv.applied };
    const at = deps.now();
    const petition = await lockCountedPetition(trx, inv.petition_id);
    const targets = await nextTargets(trx, inv.id, limit);
    if (targets.length === 0) {
      await endInvalidationRow(trx, inv.id, 'done', null, at);
      await appendAudit(trx, {
        at,
        staffId: null,
        actor: 'system:invalidation',
        action: 'invalidation.done',
        subjectType: 'petition',
        subjectId: inv.petition_id,
        after: { invalidation: inv.id, planned: inv.planned, applied: inv.applied },
      });
      return { state: 'done', planned: inv.planned, applied: inv.applied };
    }
    const counted = targets.filter((t) => t.counted);
    const leaves = counted.filter((t) => t.leaf !== null);
    const needsStatement = inv.statement_idx === null;
    const n = leaves.length + (needsStatement ? 1 : 0);
    const start = n > 0 ? await takeLogIndices(trx, inv.petition_id, n) : null;
    if (start !== null) {
      const entries: Uint8Array[] = [];
      let statementIdx = Number(inv.statement_idx);
      if (needsStatement) {
        statementIdx = start;
        entries.push(
          encodeStatementEntry({
            statementHash: statementHash(inv.statement_text ?? ''),
            invalidates: inv.planned,
          }),
        );
        await setStatementIndex(trx, inv.id, start);
      }
      for (const t of leaves)
        entries.push(
          encodeInvalidationEntry({
            target: t.leaf as number,
            statement: statementIdx,
            reason: inv.reason_code,
          }),
        );
      await insertLogEntries(trx, inv.petition_id, start, entries);
    }
    await markInvalidated(
      trx,
      inv.id,
      targets.map((t) => t.agreementId),
      counted.map((t) => t.agreementId),
      at,
    );
    await writeInvalidatedCount(
      trx,
      petition,
      Math.max(0, petition.agreement_count - counted.length),
      at,
      deps.rules,
    );
    return { state: 'running', planned: inv.planned, applied: inv.applied + counted.length };
  });
}

/**
 * Runs an approved invalidation to its end, batch after batch, calling `onProgress` after each (the staff page and
 * the CLI draw it). Stops as soon as the request is no longer running — a cancellation between two batches takes
 * effect at the next one.
 */
export async function runInvalidation(
  deps: InvalidationRunDeps,
  invalidationId: string,
  onProgress?: (p: InvalidationProgress) => void | Promise<void>,
): Promise<InvalidationProgress> {
  for (;;) {
    const p = await runInvalidationBatch(deps, invalidationId);
    await onProgress?.(p);
    if (p.state !== 'running') return p;
  }
}
