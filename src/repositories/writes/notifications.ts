import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, NotificationDeliveriesTable, NotificationOutboxTable } from '../../db/schema.js';

/**
 * Writes of the notification outbox, fan-out jobs and deliveries (the orchestration — leases, pages, retries,
 * pacing — is the worker's, src/notifications/worker.ts; the outbox API is src/notifications/outbox.ts), and of the
 * opt-outs an unsubscribe link makes.
 */

// ---------------------------------------------------------------------------------------------------------------
// Outbox
// ---------------------------------------------------------------------------------------------------------------

/** An event to record in the outbox (see `insertOutboxRow`). */
export interface OutboxRowInput {
  kind: string;
  dedupeKey: string;
  petitionId: string | null;
  payload: Record<string, unknown>;
  now: Date;
}

/**
 * Writes one outbox row, due at once, unless one with the same `dedupeKey` exists (`UNIQUE (dedupe_key)`).
 * @param trx the transaction of the causing event (typed `Kysely` because the agreement writer's hook passes its
 *   batch transaction so)
 * @param row.payload JSON object handed to the worker (petition id, response id, reason…; never personal data)
 * @param row.now UTC instant: `next_attempt_at` and `created_at`
 * @returns true when a row was written, false when the event was already recorded
 */
export async function insertOutboxRow(trx: Kysely<Database>, row: OutboxRowInput): Promise<boolean> {
  const inserted = await trx
    .insertInto('notification_outbox')
    .values({
      kind: row.kind,
      dedupe_key: row.dedupeKey,
      petition_id: row.petitionId,
      payload: JSON.stringify(row.payload),
      next_attempt_at: row.now,
      created_at: row.now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Takes the next due pending outbox row (`next_attempt_at <= now`, oldest first) with `FOR UPDATE SKIP LOCKED`, so
 * two workers never take the same row; it stays locked until `trx` ends.
 */
export function takeDueOutboxRow(
  trx: Transaction<Database>,
  now: Date,
): Promise<Selectable<NotificationOutboxTable> | undefined> {
  return trx
    .selectFrom('notification_outbox')
    .selectAll()
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** Marks a taken outbox row done (every delivery it causes exists), recording the worker that finished it. */
export async function markOutboxDone(
  trx: Transaction<Database>,
  outboxId: string,
  workerId: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('notification_outbox')
    .set({ state: 'done', done_at: now, lease_owner: workerId, lease_until: null })
    .where('id', '=', outboxId)
    .execute();
}

/** Leaves a fan-out's outbox row pending and due at once (more pages to expand), noting the worker. */
export async function keepOutboxRowDue(
  trx: Transaction<Database>,
  outboxId: string,
  workerId: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('notification_outbox')
    .set({ lease_owner: workerId, next_attempt_at: now })
    .where('id', '=', outboxId)
    .execute();
}

/**
 * Records a failed expansion of an outbox row (outside the rolled-back transaction): its attempts, the next try
 * or `failed` for good, and the error (already stripped of addresses).
 */
export async function recordOutboxFailure(
  db: Kysely<Database>,
  row: { id: string; attempts: number; failed: boolean; nextAttemptAt: Date; error: string },
): Promise<void> {
  await db
    .updateTable('notification_outbox')
    .set({
      attempts: row.attempts,
      state: row.failed ? 'failed' : 'pending',
      next_attempt_at: row.nextAttemptAt,
      last_error: row.error,
    })
    .where('id', '=', row.id)
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Fan-out jobs and deliveries
// ---------------------------------------------------------------------------------------------------------------

/** A delivery to create: one message of one kind to one person about one petition. */
export interface NewDelivery {
  /** UNIQUE: `<kind>:<petition id>:agreement:<id>` for a signer, the outbox row's key for a creator. */
  dedupe_key: string;
  kind: string;
  /** Null for a response-desk notice (kind 'desk.notice'). */
  petition_id: string | null;
  /** 'creator', 'agreement:<id>' or 'desk-notice:<id>'. */
  recipient: string;
  agreement_id?: string | null;
  fanout_id?: string | null;
  /** JSON text of the outbox row's payload. */
  payload: string;
  next_attempt_at: Date;
  /** Deterministic Message-ID (see the worker's `messageId`). */
  message_id: string;
  created_at: Date;
}

/**
 * Creates deliveries; those whose `dedupe_key` exists already are left as they are (redoing a page is harmless).
 * @returns how many were created now
 */
export async function insertDeliveries(trx: Transaction<Database>, values: NewDelivery[]): Promise<number> {
  if (values.length === 0) return 0;
  const inserted = await trx
    .insertInto('notification_deliveries')
    .values(values)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/** Creates the fan-out job of an outbox row (cursor at the start), with the estimated number of signers. */
export function createFanoutJob(
  trx: Transaction<Database>,
  job: { outboxId: string; kind: string; petitionId: string; total: number; now: Date },
) {
  return trx
    .insertInto('notification_fanouts')
    .values({
      outbox_id: job.outboxId,
      kind: job.kind,
      petition_id: job.petitionId,
      total: job.total,
      created_at: job.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Moves a fan-out job past an expanded page: its cursor (last agreement id of the page), `queued + queued`, and
 * `expanded_at` when `finishedAt` is given (the page came back short).
 */
export async function advanceFanout(
  trx: Transaction<Database>,
  step: { id: string; cursor: string; queued: number; finishedAt: Date | null },
): Promise<void> {
  await trx
    .updateTable('notification_fanouts')
    .set({
      cursor: step.cursor,
      queued: sql<number>`queued + ${step.queued}`,
      ...(step.finishedAt !== null ? { expanded_at: step.finishedAt } : {}),
    })
    .where('id', '=', step.id)
    .execute();
}

/**
 * Claims up to `limit` deliveries for `workerId` in one statement (`FOR UPDATE SKIP LOCKED`, so two workers never
 * claim the same row): state `sending`, the lease, `attempts + 1` and `sending_at`, committed before anything is
 * sent. `which` picks the rows, each served by its own partial index: 'expired' — `sending` rows whose lease ran out
 * (their worker died), oldest lease first; 'due' — `pending` rows due by `now`, in due order.
 * @returns the claimed rows as updated (any order)
 */
export async function claimDeliveries(
  db: Kysely<Database>,
  claim: { which: 'expired' | 'due'; limit: number; workerId: string; leaseUntil: Date; now: Date },
): Promise<Array<Selectable<NotificationDeliveriesTable>>> {
  if (claim.limit <= 0) return [];
  const at = claim.now.toISOString();
  const n = claim.limit;
  const r = await sql<Selectable<NotificationDeliveriesTable>>`
        update notification_deliveries d
        set state = 'sending', lease_owner = ${claim.workerId},
            lease_until = ${claim.leaseUntil.toISOString()}::timestamptz,
            attempts = d.attempts + 1, sending_at = ${at}::timestamptz
        where d.id in (
          ${
            claim.which === 'expired'
              ? sql`select id from notification_deliveries
                    where state = 'sending' and lease_until < ${at}::timestamptz
                    order by lease_until limit ${n} for update skip locked`
              : sql`select id from notification_deliveries
                    where state = 'pending' and next_attempt_at <= ${at}::timestamptz
                    order by next_attempt_at, id limit ${n} for update skip locked`
          })
        returning d.*`.execute(db);
  return r.rows;
}

/**
 * Hands claimed deliveries back (a stopping worker): pending again, no lease, the claim's attempt not counted.
 * Only rows still `sending` under `workerId`'s lease are touched.
 */
export async function handBackDeliveries(
  db: Kysely<Database>,
  ids: readonly string[],
  workerId: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notification_deliveries')
    .set((eb) => ({
      state: 'pending',
      lease_owner: null,
      lease_until: null,
      attempts: eb('attempts', '-', 1),
    }))
    .where('id', 'in', [...ids])
    .where('lease_owner', '=', workerId)
    .where('state', '=', 'sending')
    .execute();
}

/**
 * Ends a claimed delivery other than by sending it (failed, skipped, cancelled, or pending again for a retry at
 * `next_attempt_at`), releasing the lease; only while `workerId` holds it.
 */
export async function finishDelivery(
  db: Kysely<Database>,
  deliveryId: string,
  workerId: string,
  set: {
    state: 'failed' | 'skipped' | 'cancelled' | 'pending';
    last_error?: string;
    next_attempt_at?: Date;
  },
): Promise<void> {
  await db
    .updateTable('notification_deliveries')
    .set({ lease_owner: null, lease_until: null, ...set })
    .where('id', '=', deliveryId)
    .where('lease_owner', '=', workerId)
    .execute();
}

/**
 * Records a delivery as sent and, for a signer, deletes their contact once nothing more will be sent to them: their
 * answer mail has gone out, none of their other mails is pending, and no signer fan-out of the petition is still
 * being expanded (a threshold mail may be on its way). One statement, so one round trip and one commit per mail
 * (the sub-queries see the state before this update, hence the explicit exceptions for this delivery). A contact
 * kept by the last condition stays until the agreement's data is otherwise removed.
 */
export async function markDeliverySent(
  db: Kysely<Database>,
  d: { id: string; kind: string; agreement_id: string | null; petition_id: string | null },
  at: Date,
): Promise<void> {
  await sql`
    with sent as (
      update notification_deliveries
      set state = 'sent', sent_at = ${at.toISOString()}::timestamptz, lease_owner = null, lease_until = null,
          last_error = null
      where id = ${d.id}
      returning id)
    delete from agreement_contacts c
    using sent
    where c.agreement_id = ${d.agreement_id}
      and (${d.kind} = 'signers.answered'
           or exists (select 1 from notification_deliveries x
                      where x.agreement_id = ${d.agreement_id} and x.kind = 'signers.answered' and x.state = 'sent'))
      and not exists (select 1 from notification_deliveries x
                      where x.agreement_id = ${d.agreement_id} and x.id <> ${d.id}
                        and x.state in ('pending', 'sending'))
      and not exists (select 1 from notification_outbox o
                      where o.petition_id = ${d.petition_id} and o.state = 'pending' and o.kind like 'signers.%')`.execute(
    db,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Unsubscribing
// ---------------------------------------------------------------------------------------------------------------

/**
 * Withdraws a signer's opt-in on one petition (`notify = false`), deletes the agreement's contact data once it is
 * confirmed (nothing needs it any more) and cancels its pending mails.
 * @returns false when the agreement does not exist (since deleted)
 */
export async function optOutAgreement(trx: Transaction<Database>, agreementId: string): Promise<boolean> {
  const row = await trx
    .updateTable('agreements')
    .set({ notify: false })
    .where('id', '=', agreementId)
    .returning(['id', 'confirmed_at'])
    .executeTakeFirst();
  if (!row) return false;
  if (row.confirmed_at !== null) {
    await trx.deleteFrom('agreement_contacts').where('agreement_id', '=', row.id).execute();
  }
  await trx
    .updateTable('notification_deliveries')
    .set({ state: 'cancelled', lease_owner: null, lease_until: null })
    .where('agreement_id', '=', row.id)
    .where('state', '=', 'pending')
    .execute();
  return true;
}

/**
 * Marks a petition's creator unsubscribed (keeping the first instant) and cancels their pending mails.
 * @param now UTC instant recorded as `unsubscribed_at` when none was
 * @returns false when the petition has no creator row (since deleted)
 */
export async function optOutCreator(
  trx: Transaction<Database>,
  petitionId: string,
  now: Date,
): Promise<boolean> {
  const row = await trx
    .updateTable('petition_creators')
    .set((eb) => ({ unsubscribed_at: eb.fn.coalesce('unsubscribed_at', eb.val(now)) }))
    .where('petition_id', '=', petitionId)
    .returning('petition_id')
    .executeTakeFirst();
  if (!row) return false;
  await trx
    .updateTable('notification_deliveries')
    .set({ state: 'cancelled', lease_owner: null, lease_until: null })
    .where('petition_id', '=', petitionId)
    .where('recipient', '=', 'creator')
    .where('state', '=', 'pending')
    .execute();
  return true;
}
