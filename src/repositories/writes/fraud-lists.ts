import type { Executor } from '../petitions.js';

/**
 * Adds a live block / allow entry (value already normalised by src/domain/fraud.ts `normaliseListValue`).
 * @returns the new entry's id, or null when the same kind and value is already listed
 */
export async function insertFraudListEntry(
  db: Executor,
  e: {
    kind: 'prefix' | 'domain';
    value: string;
    action: 'block' | 'allow';
    reason: string | null;
    by: string;
    at: Date;
  },
): Promise<string | null> {
  const row = await db
    .insertInto('fraud_list_entries')
    .values({
      kind: e.kind,
      value: e.value,
      action: e.action,
      reason: e.reason,
      created_by: e.by,
      created_at: e.at,
    })
    .onConflict((oc) => oc.columns(['kind', 'value']).where('removed_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Removes a live entry (the row stays, with who removed it and when). @returns the removed entry, or undefined */
export async function removeFraudListEntry(
  db: Executor,
  id: string,
  by: string,
  at: Date,
): Promise<{ kind: string; value: string; action: string } | undefined> {
  return await db
    .updateTable('fraud_list_entries')
    .set({ removed_by: by, removed_at: at })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .returning(['kind', 'value', 'action'])
    .executeTakeFirst();
}
