import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { MAX_IMPORT_RECORDS, parseExchangeRecord } from '../../domain/desk/exchange.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/staff.js';
import { bankByName } from '../../repositories/desk.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { upsertHashes } from '../../repositories/writes/desk.js';

/**
 * Imports hash records (HMA or StopNCII shapes, `domain/desk/exchange.ts`) into an existing bank that is not the
 * victims' own (victims' hashes come only from victims): every record is validated first, nothing is stored if
 * one is refused; one already in the bank is kept once. One transaction, audited with the count.
 * @returns how many records were stored or re-activated
 * @throws DomainError('invalid_parameter') for an unknown bank, the victims' bank, or too many records;
 *   DomainError('invalid_hash') naming the record
 */
export async function importHashes(
  db: Kysely<Database>,
  input: { bank: string; records: unknown[]; actor: Actor; now: Date },
): Promise<{ imported: number }> {
  if (
    !Array.isArray(input.records) ||
    input.records.length === 0 ||
    input.records.length > MAX_IMPORT_RECORDS
  ) {
    throw new DomainError('invalid_parameter', `Send 1 to ${MAX_IMPORT_RECORDS} records.`, {
      fields: { records: `1 to ${MAX_IMPORT_RECORDS}` },
    });
  }
  const parsed = input.records.map((r, i) => parseExchangeRecord(r, i));
  return db.transaction().execute(async (trx) => {
    const bank = await bankByName(trx, input.bank);
    if (!bank || bank.provenance === 'victim_submitted') {
      throw new DomainError('invalid_parameter', `No bank ${input.bank} takes imports.`, {
        fields: { bank: 'unknown' },
      });
    }
    const ids = await upsertHashes(
      trx,
      parsed.map((p) => ({
        bank_id: bank.id,
        case_id: null,
        algorithm: p.algorithm,
        hash: p.hash,
        quality: p.quality,
        external_id: p.externalId,
      })),
      input.now,
    );
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: 'desk.bank.import',
      subjectType: 'desk_bank',
      subjectId: bank.id,
      after: { records: parsed.length, stored: ids.length },
    });
    return { imported: ids.length };
  });
}
