import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { normaliseListValue } from '../domain/fraud.js';
import type { Actor } from '../domain/staff.js';
import { appendAudit } from '../repositories/writes/audit.js';
import { insertFraudListEntry, removeFraudListEntry } from '../repositories/writes/fraud-lists.js';

/**
 * Adds a block or allow entry (a network range or an email domain) to the runtime lists the signing path enforces
 * (src/signing/fraud-lists.ts; other app servers see it within their cache time), audited.
 * @throws DomainError('invalid_filter') for a malformed range or domain; DomainError('invalid_parameter') when the
 *   same range or domain is already listed
 */
export async function addFraudListEntry(
  deps: { db: Kysely<Database>; now: () => Date },
  actor: Actor & { staffId: string },
  input: { kind: string; value: string; action: string; reason?: string | null },
): Promise<{ id: string }> {
  if (input.kind !== 'prefix' && input.kind !== 'domain')
    throw new DomainError(
      'invalid_parameter',
      'A list entry is a network range (prefix) or an email domain.',
    );
  if (input.action !== 'block' && input.action !== 'allow')
    throw new DomainError('invalid_parameter', 'A list entry blocks or allows.');
  const value = normaliseListValue(input.kind, input.value);
  const at = deps.now();
  return await deps.db.transaction().execute(async (trx) => {
    const id = await insertFraudListEntry(trx, {
      kind: input.kind as 'prefix' | 'domain',
      value,
      action: input.action as 'block' | 'allow',
      reason: input.reason ?? null,
      by: actor.staffId,
      at,
    });
    if (id === null)
      throw new DomainError('invalid_parameter', `${value} is already on a list; remove it first.`);
    await appendAudit(trx, {
      at,
      staffId: actor.staffId,
      actor: actor.name,
      action: 'fraud_list.add',
      subjectType: 'settings',
      subjectId: `fraud_list:${id}`,
      reason: input.reason ?? null,
      after: { kind: input.kind, value, action: input.action },
    });
    return { id };
  });
}

/**
 * Removes a live list entry (its row stays, with who removed it and when), audited.
 * @throws DomainError('not_found') when there is no such live entry
 */
export async function removeFraudListEntryCommand(
  deps: { db: Kysely<Database>; now: () => Date },
  actor: Actor & { staffId: string },
  id: string,
  reason: string | null = null,
): Promise<void> {
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw new DomainError('not_found', 'There is no such list entry.');
  const at = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const removed = await removeFraudListEntry(trx, id, actor.staffId, at);
    if (!removed) throw new DomainError('not_found', 'There is no such list entry.');
    await appendAudit(trx, {
      at,
      staffId: actor.staffId,
      actor: actor.name,
      action: 'fraud_list.remove',
      subjectType: 'settings',
      subjectId: `fraud_list:${id}`,
      reason,
      before: removed,
    });
  });
}
