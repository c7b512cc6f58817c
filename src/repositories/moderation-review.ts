import type { Executor } from './petitions.js';

/** Every partial hiding of a petition, oldest first (staff pages only: the passages hold the hidden text). */
export async function petitionRedactions(db: Executor, petitionId: string) {
  return db
    .selectFrom('petition_redactions')
    .select(['id', 'field', 'passages', 'created_at', 'restored_at'])
    .where('petition_id', '=', petitionId)
    .orderBy('id')
    .execute();
}

/** The partial hidings of a petition not restored yet, oldest first, with the text before each. */
export async function unrestoredRedactions(db: Executor, petitionId: string) {
  return db
    .selectFrom('petition_redactions')
    .select(['id', 'field', 'original_text'])
    .where('petition_id', '=', petitionId)
    .where('restored_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** The moderation decisions on a petition, oldest first, with the deciding staff member's email. */
export async function moderationDecisions(db: Executor, petitionId: string) {
  return db
    .selectFrom('moderation_decisions as d')
    .innerJoin('staff_accounts as s', 's.id', 'd.staff_id')
    .select(['d.decision', 'd.public_reason', 'd.note', 'd.decided_at', 's.email'])
    .where('d.petition_id', '=', petitionId)
    .orderBy('d.id')
    .execute();
}

/** The stored personal-data flags of the given versions of a petition's fields, by field then offset. */
export async function personalDataFlagsOf(
  db: Executor,
  petitionId: string,
  versions: ReadonlyArray<{ field: 'title' | 'body'; version: string }>,
) {
  return db
    .selectFrom('personal_data_flags')
    .selectAll()
    .where('petition_id', '=', petitionId)
    .where((eb) =>
      eb.or(versions.map((v) => eb.and([eb('field', '=', v.field), eb('version', '=', v.version)]))),
    )
    .orderBy('field')
    .orderBy('start_offset')
    .execute();
}
