import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Reads of the notification outbox, fan-out jobs and deliveries: staff progress, and what the worker needs to
 * expand a fan-out and compose a mail. Writes are in writes/notifications.ts.
 */

/** Progress of one fan-out job, for staff. */
export interface FanoutProgress {
  id: string;
  kind: string;
  petitionId: string;
  /** Opted-in signers with an address when the job started (an estimate). */
  total: number;
  /** Deliveries created so far (the cursor's progress). */
  queued: number;
  /** True once every page was expanded. */
  expanded: boolean;
  sent: number;
  pending: number;
  failed: number;
  /** Not sent because the signer unsubscribed or their address is gone. */
  skipped: number;
  createdAt: Date;
  expandedAt: Date | null;
}

/**
 * Fan-out jobs, newest first, with their delivery counts by state (one grouped query over the
 * `(fanout_id, state)` index).
 * @param limit most jobs listed (default 50)
 */
export async function fanoutProgress(db: Kysely<Database>, limit = 50): Promise<FanoutProgress[]> {
  const jobs = await db
    .selectFrom('notification_fanouts')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  if (jobs.length === 0) return [];
  const counts = await db
    .selectFrom('notification_deliveries')
    .select(['fanout_id', 'state', (eb) => eb.fn.countAll<string>().as('n')])
    .where(
      'fanout_id',
      'in',
      jobs.map((j) => j.id),
    )
    .groupBy(['fanout_id', 'state'])
    .execute();
  return jobs.map((j) => {
    const by = (states: string[]) =>
      counts
        .filter((c) => c.fanout_id === j.id && states.includes(c.state))
        .reduce((n, c) => n + Number(c.n), 0);
    return {
      id: j.id,
      kind: j.kind,
      petitionId: j.petition_id,
      total: j.total,
      queued: j.queued,
      expanded: j.expanded_at !== null,
      sent: by(['sent']),
      pending: by(['pending', 'sending']),
      failed: by(['failed']),
      skipped: by(['skipped', 'cancelled']),
      createdAt: j.created_at,
      expandedAt: j.expanded_at,
    };
  });
}

/** Outbox and delivery totals by state, for staff (`cheongwon notifications status`). */
export async function notificationTotals(
  db: Kysely<Database>,
): Promise<{ outbox: Record<string, number>; deliveries: Record<string, number> }> {
  const [outbox, deliveries] = await Promise.all([
    db
      .selectFrom('notification_outbox')
      .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('state')
      .execute(),
    db
      .selectFrom('notification_deliveries')
      .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('state')
      .execute(),
  ]);
  return {
    outbox: Object.fromEntries(outbox.map((r) => [r.state, Number(r.n)])),
    deliveries: Object.fromEntries(deliveries.map((r) => [r.state, Number(r.n)])),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The fan-out to signers
// ---------------------------------------------------------------------------------------------------------------

/** Which signers of a petition a fan-out mails. */
export interface FanoutAudience {
  petitionId: string;
  /**
   * Only agreements confirmed at or before this instant (the threshold mail goes to those who had agreed when the
   * threshold was crossed), or null for every one (the answer goes also to those who agree after it).
   */
  agreedBy: Date | null;
}

/**
 * THE rule of who a fan-out mails, written once: the petition's agreements that opted in (`notify`), are confirmed,
 * still have contact data (`agreement_contacts`), and — for `agreedBy` — were confirmed by then.
 */
function fanoutSigners(db: Kysely<Database>, audience: FanoutAudience) {
  const { petitionId, agreedBy } = audience;
  return db
    .selectFrom('agreements as a')
    .innerJoin('agreement_contacts as c', 'c.agreement_id', 'a.id')
    .where('a.petition_id', '=', petitionId)
    .where('a.notify', '=', true)
    .where('a.confirmed_at', 'is not', null)
    .$if(agreedBy !== null, (q) => q.where('a.confirmed_at', '<=', agreedBy as Date));
}

/** How many signers a fan-out mails now (`fanoutSigners`): the job's `total`, an estimate as signers come and go. */
export async function countFanoutSigners(db: Kysely<Database>, audience: FanoutAudience): Promise<number> {
  const row = await fanoutSigners(db, audience)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The next page of a fan-out's signers (`fanoutSigners`): agreement ids after `after`, in id order, at most `limit`.
 * @param page.after the job's cursor (an agreement id; '0' before the first page)
 */
export async function fanoutSignerPage(
  db: Kysely<Database>,
  audience: FanoutAudience,
  page: { after: string; limit: number },
): Promise<string[]> {
  const rows = await fanoutSigners(db, audience)
    .select('a.id')
    .where('a.id', '>', page.after)
    .orderBy('a.id')
    .limit(page.limit)
    .execute();
  return rows.map((r) => r.id);
}

/** The fan-out job of an outbox row, if it was created. */
export function fanoutJobOf(db: Kysely<Database>, outboxId: string) {
  return db
    .selectFrom('notification_fanouts')
    .selectAll()
    .where('outbox_id', '=', outboxId)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------------------------
// What a mail is composed of
// ---------------------------------------------------------------------------------------------------------------

/** The petition a notification is about, as its mail names it. */
export interface PetitionForMail {
  id: string;
  title: string;
  profile: string;
  agreement_count: number;
  archived_agreement_count: number | null;
  response_threshold: number | null;
  /** Exclusive UTC end of the answer deadline, or null. */
  response_due_at: Date | null;
}

/** The petition of a delivery, or undefined once it is gone. */
export function petitionForMail(
  db: Kysely<Database>,
  petitionId: string,
): Promise<PetitionForMail | undefined> {
  return db
    .selectFrom('petitions')
    .select([
      'id',
      'title',
      'profile',
      'agreement_count',
      'archived_agreement_count',
      'response_threshold',
      'response_due_at',
    ])
    .where('id', '=', petitionId)
    .executeTakeFirst();
}

/** A petition's creator (address, name, locale, unsubscribed_at), or undefined when none is kept. */
export function creatorForMail(db: Kysely<Database>, petitionId: string) {
  return db
    .selectFrom('petition_creators')
    .selectAll()
    .where('petition_id', '=', petitionId)
    .executeTakeFirst();
}

/**
 * A signer as a mail needs them: their opt-in and locale from the agreement, address and name from its contact row
 * (null once the contact is gone); undefined for an agreement since deleted.
 */
export function signerForMail(db: Kysely<Database>, agreementId: string) {
  return db
    .selectFrom('agreements as a')
    .leftJoin('agreement_contacts as c', 'c.agreement_id', 'a.id')
    .select(['a.notify', 'a.locale', 'c.email', 'c.name'])
    .where('a.id', '=', agreementId)
    .executeTakeFirst();
}

/** What an answer mail says of the answer (title, responder, publication instant), or undefined. */
export function responseForMail(
  db: Kysely<Database>,
  responseId: string,
): Promise<
  | {
      title: string | null;
      responder_name: string | null;
      responder_title: string | null;
      published_at: Date | null;
    }
  | undefined
> {
  return db
    .selectFrom('official_responses')
    .select(['title', 'responder_name', 'responder_title', 'published_at'])
    .where('id', '=', responseId)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------------------------
// Count events
// ---------------------------------------------------------------------------------------------------------------

/** The fields of petitions whose new counts may cause mail (see notifications/outbox.ts `recordCountEvents`). */
export function petitionsForCountEvents(db: Kysely<Database>, petitionIds: readonly string[]) {
  return db
    .selectFrom('petitions')
    .select([
      'id',
      'profile',
      'state',
      'agreement_count',
      'response_state',
      'response_threshold',
      'response_due_at',
      'response_threshold_reached_at',
      'debate_threshold_reached_at',
      'debate_state',
    ])
    .where('id', 'in', [...petitionIds])
    .execute();
}
