import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import {
  assertReasonCode,
  criteriaClass,
  filterToJson,
  type InvalidationFilter,
  parseInvalidationFilter,
} from '../domain/fraud.js';
import type { Actor } from '../domain/staff.js';
import { appendAudit } from '../repositories/writes/audit.js';
import {
  countMatchingAgreements,
  insertInvalidationRequest,
  petitionExists,
} from '../repositories/writes/invalidations.js';

/** A filter as staff give it (form fields), before validation (`parseInvalidationFilter`). */
export type InvalidationFilterInput = Parameters<typeof parseInvalidationFilter>[0];

/**
 * The number of counted agreements a filter matches now: what staff see before they ask.
 * @throws DomainError('invalid_filter')
 */
export async function previewInvalidation(
  db: Kysely<Database>,
  input: InvalidationFilterInput,
): Promise<{ filter: InvalidationFilter; criteria: string; count: number }> {
  const filter = parseInvalidationFilter(input);
  return { filter, criteria: criteriaClass(filter), count: await countMatchingAgreements(db, filter) };
}

/**
 * Asks for an invalidation (first of the four eyes): validates the filter, freezes the agreements it matches now
 * (the number the approver will see), and audits the request. Nothing is invalidated until a second staff member
 * approves (`approveInvalidation`).
 * @param reasonCode a public reason class (src/domain/tlog/entries.ts INVALIDATION_REASONS)
 * @throws DomainError('invalid_filter') for a bad filter or reason, or a filter that matches nothing
 */
export async function requestInvalidation(
  deps: { db: Kysely<Database>; now: () => Date },
  actor: Actor & { staffId: string },
  input: { filter: InvalidationFilterInput; reasonCode: number; note?: string | null },
): Promise<{ id: string; planned: number; criteria: string }> {
  const filter = parseInvalidationFilter(input.filter);
  assertReasonCode(input.reasonCode);
  const criteria = criteriaClass(filter);
  const at = deps.now();
  return await deps.db.transaction().execute(async (trx) => {
    if (!(await petitionExists(trx, filter.petitionId)))
      throw new DomainError('petition_not_found', 'There is no such petition.');
    const { id, planned } = await insertInvalidationRequest(trx, {
      filter,
      filterJson: filterToJson(filter),
      criteriaClass: criteria,
      reasonCode: input.reasonCode,
      requestedBy: actor.staffId,
      at,
    });
    if (planned === 0) throw new DomainError('invalid_filter', 'The filter matches no counted agreement.');
    await appendAudit(trx, {
      at,
      staffId: actor.staffId,
      actor: actor.name,
      action: 'invalidation.request',
      subjectType: 'petition',
      subjectId: filter.petitionId,
      reason: input.note ?? null,
      after: {
        invalidation: id,
        planned,
        criteria,
        reasonCode: input.reasonCode,
        filter: JSON.parse(filterToJson(filter)),
      },
    });
    return { id, planned, criteria };
  });
}
