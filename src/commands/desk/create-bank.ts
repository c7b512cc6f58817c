import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { DEFAULT_PDQ_THRESHOLD, parseBankName } from '../../domain/desk/banks.js';
import { BANK_KINDS, BANK_PROVENANCES, BANK_REVIEW_STATUSES, isOneOf } from '../../domain/desk/types.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/staff.js';
import { bankByName } from '../../repositories/desk.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { insertBank } from '../../repositories/writes/desk.js';

/**
 * Creates a hash bank with its provenance, review status, kind (positive, or negative: suppresses matches) and
 * PDQ threshold (bits, default 31). Audited.
 * @throws DomainError('invalid_parameter') naming the field
 */
export async function createBank(
  db: Kysely<Database>,
  input: {
    name: string;
    provenance: string;
    reviewStatus?: string;
    kind?: string;
    pdqThreshold?: number;
    actor: Actor;
    now: Date;
  },
): Promise<{ bankId: string }> {
  const name = parseBankName(input.name);
  const kind = input.kind ?? 'positive';
  const reviewStatus = input.reviewStatus ?? 'unreviewed';
  const threshold = input.pdqThreshold ?? DEFAULT_PDQ_THRESHOLD;
  if (!isOneOf(BANK_PROVENANCES, input.provenance)) {
    throw new DomainError('invalid_parameter', `provenance is one of ${BANK_PROVENANCES.join(', ')}`, {
      fields: { provenance: BANK_PROVENANCES.join(', ') },
    });
  }
  if (!isOneOf(BANK_KINDS, kind) || !isOneOf(BANK_REVIEW_STATUSES, reviewStatus)) {
    throw new DomainError(
      'invalid_parameter',
      'kind is positive|negative; review status unreviewed|reviewed|rejected',
      {
        fields: { kind: BANK_KINDS.join(', '), review_status: BANK_REVIEW_STATUSES.join(', ') },
      },
    );
  }
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > 128) {
    throw new DomainError('invalid_parameter', 'The PDQ threshold is 0–128 bits.', {
      fields: { threshold: '0–128' },
    });
  }
  const provenance = input.provenance;
  return db.transaction().execute(async (trx) => {
    if (await bankByName(trx, name)) {
      throw new DomainError('invalid_parameter', `A bank named ${name} exists.`, {
        fields: { name: 'taken' },
      });
    }
    const bankId = await insertBank(trx, {
      name,
      provenance,
      reviewStatus,
      kind,
      pdqThreshold: threshold,
      now: input.now,
    });
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: 'desk.bank.create',
      subjectType: 'desk_bank',
      subjectId: bankId,
      after: { name, provenance, reviewStatus, kind, threshold },
    });
    return { bankId };
  });
}
