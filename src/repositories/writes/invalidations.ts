/**
 * Accountable invalidation, the SQL (issue 13; rules in src/domain/fraud.ts, use cases in
 * src/commands/*-invalidation.ts). Agreements are marked (`invalidated_at`), never deleted; every change of a count
 * goes through `writeCount` (src/domain/count-effects.ts) under the petition's row lock, and the log entries of a
 * batch take the petition's next indices (`petitions.log_size`, the same column the agreement writer advances under
 * the same lock), so the log and the count move in one transaction.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { COUNTED_COLUMNS, type CountedPetition, type CountRules } from '../../domain/count-effects.js';
import type { InvalidationFilter } from '../../domain/fraud.js';
import { INVALIDATION_COLUMNS, type InvalidationRow } from '../invalidations.js';
import type { Executor } from '../petitions.js';
import { writeCount } from './agreement-batches.js';

/** The SQL condition "this agreement row matches the filter and counts now" (alias `a`). */
function matching(f: InvalidationFilter) {
  return sql`a.petition_id = ${f.petitionId}
    and a.confirmed_at is not null and a.invalidated_at is null
    ${f.from ? sql`and a.created_at >= ${f.from.toISOString()}::timestamptz` : sql``}
    ${f.to ? sql`and a.created_at < ${f.to.toISOString()}::timestamptz` : sql``}
    ${f.cidr ? sql`and a.network_prefix is not null and a.network_prefix::inet <<= ${f.cidr}::inet` : sql``}
    ${f.emailDomain ? sql`and a.email_domain = ${f.emailDomain}` : sql``}
    ${f.provider ? sql`and a.provider = ${f.provider}` : sql``}
    ${f.agreementIds ? sql`and a.id = any(${f.agreementIds}::bigint[])` : sql``}`;
}

/** How many counted agreements the filter matches now (the number staff see before asking). */
export async function countMatchingAgreements(db: Executor, f: InvalidationFilter): Promise<number> {
  const r = await sql<{
    n: string;
  }>`select count(*)::text as n from agreements a where ${matching(f)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Stores a request and freezes its targets: the agreements the filter matches now, so the approver approves the
 * very set (and number) the requester saw.
 * @returns the request's id and its number of targets
 */
export async function insertInvalidationRequest(
  trx: Transaction<Database>,
  r: {
    filter: InvalidationFilter;
    filterJson: string;
    criteriaClass: string;
    reasonCode: number;
    requestedBy: string;
    at: Date;
  },
): Promise<{ id: string; planned: number }> {
  const row = await trx
    .insertInto('invalidations')
    .values({
      petition_id: r.filter.petitionId,
      filter: r.filterJson,
      criteria_class: r.criteriaClass,
      reason_code: r.reasonCode,
      state: 'requested',
      planned: 0,
      requested_by: r.requestedBy,
      requested_at: r.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const frozen = await sql<{ n: string }>`
    with t as (
      insert into invalidation_targets (invalidation_id, agreement_id)
      select ${row.id}::bigint, a.id from agreements a where ${matching(r.filter)}
      returning 1)
    select count(*)::text as n from t`.execute(trx);
  const planned = Number(frozen.rows[0]?.n ?? 0);
  await trx.updateTable('invalidations').set({ planned }).where('id', '=', row.id).execute();
  return { id: row.id, planned };
}

/** Locks one request (`for update`) in the caller's transaction; undefined when there is none. */
export async function lockInvalidation(
  trx: Transaction<Database>,
  id: string,
): Promise<InvalidationRow | undefined> {
  return await trx
    .selectFrom('invalidations')
    .select(INVALIDATION_COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Marks a request approved and running, with the statement it will publish. */
export async function approveInvalidationRow(
  trx: Transaction<Database>,
  id: string,
  approvedBy: string,
  at: Date,
  statementText: string,
): Promise<void> {
  await trx
    .updateTable('invalidations')
    .set({ state: 'running', approved_by: approvedBy, approved_at: at, statement_text: statementText })
    .where('id', '=', id)
    .execute();
}

/** Ends a request: 'cancelled' (before or during its run) or 'rejected' (not approved). */
export async function endInvalidationRow(
  trx: Transaction<Database>,
  id: string,
  state: 'cancelled' | 'rejected' | 'done',
  by: string | null,
  at: Date,
): Promise<void> {
  await trx
    .updateTable('invalidations')
    .set({ state, ended_by: by, ended_at: at })
    .where('id', '=', id)
    .execute();
}

/** Locks a petition's row and reads its counted facts (the lock the agreement writer's count update also takes). */
export async function lockCountedPetition(
  trx: Transaction<Database>,
  petitionId: string,
): Promise<CountedPetition> {
  return await trx
    .selectFrom('petitions')
    .select(COUNTED_COLUMNS)
    .where('id', '=', petitionId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/**
 * Takes `n` consecutive leaf indices of a petition's log (the petition row must be locked by the caller), or null
 * when the petition has no log (no `petition_logs` row: nothing is written to a log that does not exist).
 * @returns the first index taken
 */
export async function takeLogIndices(
  trx: Transaction<Database>,
  petitionId: string,
  n: number,
): Promise<number | null> {
  const hasLog = await trx
    .selectFrom('petition_logs')
    .select('petition_id')
    .where('petition_id', '=', petitionId)
    .executeTakeFirst();
  if (!hasLog) return null;
  const row = await sql<{ start: string }>`
    update petitions set log_size = log_size + ${n} where id = ${petitionId}
    returning (log_size - ${n})::text as start`.execute(trx);
  return Number(row.rows[0]?.start);
}

/** Stores log entries at consecutive indices from `start` (with the agreement they are about, when any). */
export async function insertLogEntries(
  trx: Transaction<Database>,
  petitionId: string,
  start: number,
  entries: readonly Uint8Array[],
): Promise<void> {
  if (entries.length === 0) return;
  await trx
    .insertInto('log_entries')
    .values(entries.map((e, i) => ({ petition_id: petitionId, idx: start + i, entry: Buffer.from(e) })))
    .execute();
}

/** The next targets of a running request not yet processed, with their leaf index (null without a leaf). */
export async function nextTargets(
  trx: Transaction<Database>,
  invalidationId: string,
  limit: number,
): Promise<Array<{ agreementId: string; counted: boolean; leaf: number | null }>> {
  const rows = await sql<{ agreement_id: string; counted: boolean; idx: string | null }>`
    select t.agreement_id::text, (a.confirmed_at is not null and a.invalidated_at is null) as counted,
           l.idx::text
    from invalidation_targets t
    join agreements a on a.id = t.agreement_id
    left join log_entries l on l.agreement_id = t.agreement_id
    where t.invalidation_id = ${invalidationId} and t.applied_at is null
    order by t.agreement_id
    limit ${limit}
    for update of t`.execute(trx);
  return rows.rows.map((r) => ({
    agreementId: r.agreement_id,
    counted: r.counted,
    leaf: r.idx === null ? null : Number(r.idx),
  }));
}

/**
 * Marks a batch: the still-counted agreements invalidated by this request, every target of the batch processed,
 * and the request's applied number advanced.
 */
export async function markInvalidated(
  trx: Transaction<Database>,
  invalidationId: string,
  processed: readonly string[],
  invalidated: readonly string[],
  at: Date,
): Promise<void> {
  if (invalidated.length > 0)
    await trx
      .updateTable('agreements')
      .set({ invalidated_at: at, invalidation_id: invalidationId, reinstated_at: null })
      .where('id', 'in', [...invalidated])
      .execute();
  if (processed.length > 0)
    await trx
      .updateTable('invalidation_targets')
      .set({ applied_at: at })
      .where('invalidation_id', '=', invalidationId)
      .where('agreement_id', 'in', [...processed])
      .execute();
  await sql`update invalidations set applied = applied + ${invalidated.length} where id = ${invalidationId}`.execute(
    trx,
  );
}

/** Remembers the leaf index of a request's statement entry. */
export async function setStatementIndex(trx: Transaction<Database>, id: string, idx: number): Promise<void> {
  await trx
    .updateTable('invalidations')
    .set({ statement_idx: String(idx) })
    .where('id', '=', id)
    .execute();
}

/** Sets the count (and its effects) of a locked petition: `writeCount`, re-exported for the invalidation commands. */
export async function writeInvalidatedCount(
  trx: Transaction<Database>,
  p: CountedPetition,
  newCount: number,
  now: Date,
  rules: CountRules,
): Promise<void> {
  await writeCount(trx, p, newCount, now, rules);
}

/** An invalidated agreement as a reinstatement needs it. */
export interface InvalidatedAgreement {
  id: string;
  petition_id: string;
  invalidation_id: string | null;
  invalidated_at: Date | null;
  leaf: number | null;
  statement_idx: number | null;
}

/** Locks one agreement row and reads what a reinstatement needs; undefined when there is no such agreement. */
export async function lockAgreementForReinstatement(
  trx: Transaction<Database>,
  agreementId: string,
): Promise<InvalidatedAgreement | undefined> {
  const r = await sql<{
    id: string;
    petition_id: string;
    invalidation_id: string | null;
    invalidated_at: Date | null;
    idx: string | null;
    statement_idx: string | null;
  }>`
    select a.id::text, a.petition_id::text, a.invalidation_id::text, a.invalidated_at, l.idx::text,
           i.statement_idx::text
    from agreements a
    left join log_entries l on l.agreement_id = a.id
    left join invalidations i on i.id = a.invalidation_id
    where a.id = ${agreementId}
    for update of a`.execute(trx);
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    petition_id: row.petition_id,
    invalidation_id: row.invalidation_id,
    invalidated_at: row.invalidated_at === null ? null : new Date(row.invalidated_at),
    leaf: row.idx === null ? null : Number(row.idx),
    statement_idx: row.statement_idx === null ? null : Number(row.statement_idx),
  };
}

/** Clears an agreement's invalidation (it counts again) and records when. */
export async function markReinstated(
  trx: Transaction<Database>,
  agreementId: string,
  at: Date,
): Promise<void> {
  await trx
    .updateTable('agreements')
    .set({ invalidated_at: null, reinstated_at: at })
    .where('id', '=', agreementId)
    .execute();
}

/** The email addresses of invalidated agreements whose contact row is still kept (signers who asked for mail). */
export async function listAffectedContacts(
  db: Executor,
  invalidationId: string,
): Promise<Array<{ agreementId: string; email: string; locale: 'ko' | 'en' }>> {
  const rows = await db
    .selectFrom('agreements as a')
    .innerJoin('agreement_contacts as c', 'c.agreement_id', 'a.id')
    .select(['a.id', 'c.email', 'a.locale'])
    .where('a.invalidation_id', '=', invalidationId)
    .where('a.invalidated_at', 'is not', null)
    .execute();
  return rows.map((r) => ({ agreementId: r.id, email: r.email, locale: r.locale }));
}

/** The petition an agreement belongs to, or undefined when there is no such agreement. */
export async function agreementPetition(db: Executor, agreementId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('agreements')
    .select('petition_id')
    .where('id', '=', agreementId)
    .executeTakeFirst();
  return row?.petition_id;
}

/** True when the petition exists. */
export async function petitionExists(db: Executor, petitionId: string): Promise<boolean> {
  const row = await db.selectFrom('petitions').select('id').where('id', '=', petitionId).executeTakeFirst();
  return row !== undefined;
}
