import type { Transaction } from 'kysely';
import type { Database, ModerationDecisionKind, PetitionRow, RedactedPassage } from '../../db/schema.js';
import type { FieldVersionFlags } from '../../domain/personal-data.js';
import { searchColumns } from '../../domain/search-text.js';
import { personalDataFlagsOf } from '../moderation-review.js';
import type { Executor } from '../petitions.js';

/** The petition with this id, locked for the rest of the transaction (FOR UPDATE), or undefined. */
export async function lockPetition(trx: Transaction<Database>, id: string): Promise<PetitionRow | undefined> {
  return trx.selectFrom('petitions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Applies a decision's changes to a (locked) petition and stamps `updated_at`. A change of title or body (hidden in
 * part, restored) re-derives the search columns from the text as it now reads (`searchColumns`), so a hidden
 * passage is no longer found by search either.
 * @returns the petition after
 */
export async function updateDecidedPetition(
  trx: Transaction<Database>,
  id: string,
  changes: Partial<Record<keyof PetitionRow, unknown>>,
  now: Date,
): Promise<PetitionRow> {
  let search = {};
  if ('title' in changes || 'body' in changes) {
    const current = await trx
      .selectFrom('petitions')
      .select(['title', 'body'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const title = 'title' in changes ? (changes.title as string) : current.title;
    const body = 'body' in changes ? (changes.body as string | null) : current.body;
    search = searchColumns(title, body);
  }
  return trx
    .updateTable('petitions')
    .set({ ...(changes as object), ...search, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records one moderation decision (the record the creator is told from). @returns its id */
export async function insertModerationDecision(
  trx: Transaction<Database>,
  row: {
    petitionId: string;
    staffId: string;
    decision: ModerationDecisionKind;
    reasonCode: string | null;
    publicReason: string | null;
    note: string | null;
    decidedAt: Date;
  },
): Promise<string> {
  const inserted = await trx
    .insertInto('moderation_decisions')
    .values({
      petition_id: row.petitionId,
      staff_id: row.staffId,
      decision: row.decision,
      reason_code: row.reasonCode,
      public_reason: row.publicReason,
      note: row.note,
      decided_at: row.decidedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Deletes the check-out of a petition, whoever holds it (after a decision). */
export async function deleteCheckout(trx: Transaction<Database>, petitionId: string): Promise<void> {
  await trx.deleteFrom('moderation_checkouts').where('petition_id', '=', petitionId).execute();
}

/** Deletes a petition's check-out if `staffId` holds it (anything else changes nothing). */
export async function deleteOwnCheckout(
  db: Executor,
  options: { petitionId: string; staffId: string },
): Promise<void> {
  await db
    .deleteFrom('moderation_checkouts')
    .where('petition_id', '=', options.petitionId)
    .where('staff_id', '=', options.staffId)
    .execute();
}

/**
 * Takes the check-out of a petition for `staffId` until `expiresAt`, when it is free, expired or already theirs —
 * atomically on both engines (one INSERT … ON CONFLICT DO UPDATE … WHERE).
 * @returns the new expiry, or undefined when someone else holds a live check-out
 */
export async function takeCheckout(
  db: Executor,
  options: { petitionId: string; staffId: string; now: Date; expiresAt: Date },
): Promise<Date | undefined> {
  const taken = await db
    .insertInto('moderation_checkouts')
    .values({
      petition_id: options.petitionId,
      staff_id: options.staffId,
      checked_out_at: options.now,
      expires_at: options.expiresAt,
    })
    .onConflict((oc) =>
      oc
        .column('petition_id')
        .doUpdateSet({
          staff_id: options.staffId,
          checked_out_at: options.now,
          expires_at: options.expiresAt,
        })
        .where((eb) =>
          eb.or([
            eb('moderation_checkouts.expires_at', '<=', options.now),
            eb('moderation_checkouts.staff_id', '=', options.staffId),
          ]),
        ),
    )
    .returning('expires_at')
    .executeTakeFirst();
  return taken?.expires_at;
}

/**
 * Stores the personal-data flags of the given field versions if not stored yet (`personal_data_flags_once`).
 * @returns the stored flags of those versions, resolved or not, by field then offset
 */
export async function recordPersonalDataFlags(
  db: Executor,
  petitionId: string,
  versions: readonly FieldVersionFlags[],
) {
  for (const v of versions) {
    if (v.found.length === 0) continue;
    await db
      .insertInto('personal_data_flags')
      .values(
        v.found.map((f) => ({
          petition_id: petitionId,
          version: v.version,
          field: v.field,
          kind: f.kind,
          start_offset: f.start,
          end_offset: f.end,
          matched_text: f.text,
          mask: f.mask,
          confidence: f.confidence,
        })),
      )
      .onConflict((oc) => oc.constraint('personal_data_flags_once').doNothing())
      .execute();
  }
  return personalDataFlagsOf(db, petitionId, versions);
}

/**
 * Resolves personal-data flags: 'masked' (hidden in part) or 'overridden' (published as they are, with a reason).
 */
export async function resolvePersonalDataFlags(
  trx: Transaction<Database>,
  ids: readonly string[],
  resolution: { kind: 'masked' } | { kind: 'overridden'; reason: string },
  by: { staffId: string; at: Date },
): Promise<void> {
  await trx
    .updateTable('personal_data_flags')
    .set({
      resolution: resolution.kind,
      ...(resolution.kind === 'overridden' ? { resolution_reason: resolution.reason } : {}),
      resolved_by: by.staffId,
      resolved_at: by.at,
    })
    .where('id', 'in', [...ids])
    .execute();
}

/** Keeps the text of a field before a partial hiding (only staff pages read it). */
export async function insertRedaction(
  trx: Transaction<Database>,
  row: {
    petitionId: string;
    field: 'title' | 'body';
    originalText: string;
    maskedText: string;
    passages: RedactedPassage[];
    staffId: string;
    at: Date;
  },
): Promise<void> {
  await trx
    .insertInto('petition_redactions')
    .values({
      petition_id: row.petitionId,
      field: row.field,
      original_text: row.originalText,
      masked_text: row.maskedText,
      passages: JSON.stringify(row.passages),
      staff_id: row.staffId,
      created_at: row.at,
    })
    .execute();
}

/** Marks partial hidings as restored at `at`. */
export async function markRedactionsRestored(
  trx: Transaction<Database>,
  ids: readonly string[],
  at: Date,
): Promise<void> {
  await trx
    .updateTable('petition_redactions')
    .set({ restored_at: at })
    .where('id', 'in', [...ids])
    .execute();
}
