import { createHmac, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, NotificationDeliveriesTable, NotificationOutboxTable } from '../db/schema.js';
import { localDate } from '../domain/closing-dates.js';
import { getProfile } from '../domain/policy-profiles.js';
import { noticeById as noticeForMail } from '../repositories/desk.js';
import {
  countFanoutSigners,
  creatorForMail,
  type FanoutAudience,
  fanoutJobOf,
  fanoutSignerPage,
  type PetitionForMail,
  petitionForMail,
  responseForMail,
  signerForMail,
} from '../repositories/notifications.js';
import {
  advanceFanout,
  claimDeliveries,
  createFanoutJob,
  finishDelivery,
  handBackDeliveries,
  insertDeliveries,
  keepOutboxRowDue,
  markDeliverySent,
  markOutboxDone,
  recordOutboxFailure,
  takeDueOutboxRow,
} from '../repositories/writes/notifications.js';
import { MailDeliveryError, type Mailer } from './mailer.js';
import {
  isCreatorKind,
  isSignerKind,
  type NotificationKind,
  notificationMail,
  REVIEW_DECISION_NOTICES,
  type ReviewDecisionNotice,
} from './templates/notifications.js';
import { unsubscribeUrl } from './unsubscribe.js';

/** The outbox kind of a response-desk notice to a platform (written by commands/desk/send-notice.ts). */
export const DESK_NOTICE_KIND = 'desk.notice';

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/**
 * The notification worker: turns outbox rows into deliveries and deliveries into mail.
 *
 * 1. **Outbox → deliveries.** A due outbox row is taken with `SELECT … FOR UPDATE SKIP LOCKED` (two workers never
 *    take the same row). A creator notification becomes one delivery. A signer notification is a FAN-OUT: a
 *    `notification_fanouts` job with a cursor; each pass expands ONE PAGE of opted-in, confirmed signers with a
 *    contact address (`agreements.id > cursor`, in id order) into deliveries and moves the cursor, in one
 *    transaction; the row is done when a page comes back short. A killed worker loses at most an uncommitted page,
 *    which the next pass redoes; `UNIQUE (dedupe_key)` on deliveries makes redoing it harmless.
 * 2. **Deliveries → mail.** A batch of due deliveries is CLAIMED in a short transaction (SKIP LOCKED): state
 *    `sending`, a lease (`lease_owner`, `lease_until`) and `attempts + 1` are committed BEFORE anything is sent.
 *    Each mail is then sent, paced to `ratePerSecond`, and marked `sent` in its own commit right after the SMTP
 *    server's 250. A failure is retried with exponential backoff (`backoffBaseMs · 2^(attempts−1)`, at most 6 h);
 *    a permanent refusal (SMTP 5xx) or `maxAttempts` failures mark it `failed` with the error (no address in it).
 *    A `sending` row whose lease ran out (its worker died) is claimed again.
 *
 * **The guarantee, precisely.** Deliveries are UNIQUE per (kind, petition, person) — the agreement for a signer
 * (one person, one agreement per petition), the petition for its creator — so at most one message of a kind is
 * ever *composed* per person and petition, whatever runs twice. SMTP has no idempotency: if a worker dies after the
 * server accepted a message and before its `sent` commit, the delivery is still `sending` and is sent again when its
 * lease expires. Such a re-send is the SAME message — its Message-ID is derived deterministically from the delivery
 * (HMAC of its dedupe key), so mail systems that collapse duplicates by Message-ID show it once. The window is one
 * message per worker (mails are sent one at a time, each committed at once), i.e. a crash can cause at most one raw
 * re-send per crashed worker. Two live workers never send the same delivery: claims are row-locked, and a lease is
 * longer than the time a claimed batch takes at the configured pace.
 *
 * Contact data: after the `signers.answered` mail (the last one a signer asked for) the agreement's contact row is
 * deleted, once no other mail to that signer is pending (see `markDeliverySent` in repositories/writes/notifications.ts). A signer who unsubscribed meanwhile, or whose contact is gone, is `cancelled`/`skipped`, not mailed.
 */
export interface NotificationWorkerOptions {
  db: Kysely<Database>;
  mailer: Mailer;
  /** Deployment secret: keys unsubscribe links and Message-IDs. */
  secret: string;
  /** Public base URL for links in mail. */
  publicUrl: string;
  now?: () => Date;
  /** Identifies this worker in leases (default `<host>:<pid>:<random>`). */
  workerId?: string;
  /** Mails per second this worker sends at most (default 20). */
  ratePerSecond?: number;
  /** Signers expanded per fan-out page (default 500). */
  pageSize?: number;
  /** Deliveries claimed at once (default 20; capped so a batch takes at most half a lease at `ratePerSecond`). */
  batchSize?: number;
  /** How long a claim holds (ms, default 60,000). */
  leaseMs?: number;
  /** Attempts before a delivery is failed for good (default 8). */
  maxAttempts?: number;
  /** First retry delay (ms, default 30,000); doubled each attempt, at most 6 h. */
  backoffBaseMs?: number;
  /** Idle polling interval (ms, default 1,000); `wake()` cuts it short. */
  pollMs?: number;
  /** Logs progress lines (no personal data). */
  log?: (line: string) => void;
}

/** What one pass did. */
export interface WorkerPass {
  expanded: number;
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

const MAX_BACKOFF_MS = 6 * 3600_000;

export class NotificationWorker {
  readonly #o: Required<Omit<NotificationWorkerOptions, 'workerId'>>;
  readonly id: string;
  #running = false;
  #stopRequested = false;
  #loop: Promise<void> | null = null;
  #wakeUp: (() => void) | null = null;
  #nextSendAt = 0;
  readonly #host: string;

  constructor(options: NotificationWorkerOptions) {
    this.#o = {
      now: () => new Date(),
      ratePerSecond: 20,
      pageSize: 500,
      batchSize: 20,
      leaseMs: 60_000,
      maxAttempts: 8,
      backoffBaseMs: 30_000,
      pollMs: 1000,
      log: () => {},
      ...options,
    };
    if (!(this.#o.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be > 0');
    this.id = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#host = new URL(this.#o.publicUrl).hostname || 'cheongwon.invalid';
  }

  /** Starts the polling loop (returns at once). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        let pass: WorkerPass;
        try {
          pass = await this.runOnce();
        } catch (error) {
          this.#o.log(`notification worker: ${error instanceof Error ? error.message : String(error)}`);
          pass = { expanded: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
        }
        const busy = pass.expanded + pass.sent + pass.retried + pass.failed + pass.skipped > 0;
        if (!busy && this.#running) await this.#idle();
      }
    })();
  }

  /** Cuts an idle wait short (e.g. right after an event was queued in this process). */
  wake(): void {
    this.#wakeUp?.();
  }

  /** Stops after the mail in hand; mails it had claimed but not sent are handed back at once. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#stopRequested = true;
    this.wake();
    await this.#loop;
  }

  /** Runs passes until nothing is due (tests, `cheongwon worker --once`). */
  async drain(): Promise<WorkerPass> {
    const total: WorkerPass = { expanded: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
    for (;;) {
      const pass = await this.runOnce();
      for (const k of Object.keys(total) as Array<keyof WorkerPass>) total[k] += pass[k];
      if (pass.expanded + pass.sent + pass.retried + pass.failed + pass.skipped === 0) return total;
    }
  }

  /** One pass: expand due outbox rows (one page each, up to 10 rows), then send one claimed batch. */
  async runOnce(): Promise<WorkerPass> {
    const pass: WorkerPass = { expanded: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
    for (let i = 0; i < 10; i++) {
      const n = await this.#expandOne();
      if (n === null) break;
      pass.expanded += Math.max(1, n);
    }
    await this.#sendBatch(pass);
    return pass;
  }

  #idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#o.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeUp = () => {
        this.#wakeUp = null;
        done();
      };
    });
  }

  /** Message-ID of a delivery: deterministic, so a re-send after a crash is recognisably the same message. */
  messageId(dedupeKey: string): string {
    const h = createHmac('sha256', this.#o.secret)
      .update(`message-id\n${dedupeKey}`)
      .digest('hex')
      .slice(0, 40);
    return `<${h}@${this.#host}>`;
  }

  /**
   * Takes one due outbox row and expands it (one page for a fan-out).
   * @returns deliveries created (0 for a row that needed none), or null when nothing was due
   */
  async #expandOne(): Promise<number | null> {
    const now = this.#o.now();
    let taken: { id: string; attempts: number } | null = null;
    try {
      return await this.#o.db.transaction().execute(async (trx) => {
        const row = await takeDueOutboxRow(trx, now);
        if (!row) return null;
        taken = { id: row.id, attempts: row.attempts };
        return this.#expandRow(trx, row, now);
      });
    } catch (error) {
      // the page rolled back; the row is retried later (or failed after maxAttempts)
      if (taken === null) throw error;
      await this.#outboxFailed(taken, error, now);
      return 0;
    }
  }

  async #expandRow(
    trx: Transaction<Database>,
    row: Selectable<NotificationOutboxTable>,
    now: Date,
  ): Promise<number> {
    const done = () => markOutboxDone(trx, row.id, this.id, now);
    if (row.kind === DESK_NOTICE_KIND) {
      // the response desk's notice to a platform: one delivery, no petition (commands/desk/send-notice.ts)
      const noticeId = String(row.payload.noticeId ?? '');
      const inserted = await insertDeliveries(trx, [
        {
          dedupe_key: row.dedupe_key,
          kind: row.kind,
          petition_id: null,
          recipient: `desk-notice:${noticeId}`,
          payload: JSON.stringify(row.payload),
          next_attempt_at: now,
          message_id: this.messageId(row.dedupe_key),
          created_at: now,
        },
      ]);
      await done();
      return inserted;
    }
    if (row.petition_id === null) {
      await done();
      return 0;
    }
    if (isCreatorKind(row.kind)) {
      const inserted = await insertDeliveries(trx, [
        {
          dedupe_key: row.dedupe_key,
          kind: row.kind,
          petition_id: row.petition_id,
          recipient: 'creator',
          payload: JSON.stringify(row.payload),
          next_attempt_at: now,
          message_id: this.messageId(row.dedupe_key),
          created_at: now,
        },
      ]);
      await done();
      return inserted;
    }
    if (!isSignerKind(row.kind)) {
      throw new Error(`unknown notification kind ${row.kind}`);
    }
    // a fan-out: create its job on first sight, then expand one page. The threshold mail goes to those who had
    // agreed when the threshold was crossed (its outbox row was written in that batch); the answer goes to every
    // opted-in signer, also those who agree after it (they asked to hear of the answer).
    const audience: FanoutAudience = {
      petitionId: row.petition_id,
      agreedBy: row.kind === 'signers.threshold_reached' ? row.created_at : null,
    };
    const job =
      (await fanoutJobOf(trx, row.id)) ??
      (await createFanoutJob(trx, {
        outboxId: row.id,
        kind: row.kind,
        petitionId: row.petition_id,
        total: await countFanoutSigners(trx, audience),
        now,
      }));
    const page = await fanoutSignerPage(trx, audience, { after: job.cursor, limit: this.#o.pageSize });
    const petitionId = row.petition_id;
    const queued = await insertDeliveries(
      trx,
      page.map((agreementId) => {
        const key = `${row.kind}:${petitionId}:agreement:${agreementId}`;
        return {
          dedupe_key: key,
          kind: row.kind,
          petition_id: petitionId,
          recipient: `agreement:${agreementId}`,
          agreement_id: agreementId,
          fanout_id: job.id,
          payload: JSON.stringify(row.payload),
          next_attempt_at: now,
          message_id: this.messageId(key),
          created_at: now,
        };
      }),
    );
    const finished = page.length < this.#o.pageSize;
    await advanceFanout(trx, {
      id: job.id,
      cursor: page.length > 0 ? (page[page.length - 1] as string) : job.cursor,
      queued,
      finishedAt: finished ? now : null,
    });
    if (finished) await done();
    else await keepOutboxRowDue(trx, row.id, this.id, now);
    return queued;
  }

  async #outboxFailed(row: { id: string; attempts: number }, error: unknown, now: Date): Promise<void> {
    const attempts = row.attempts + 1;
    const permanent = attempts >= this.#o.maxAttempts;
    await recordOutboxFailure(this.#o.db, {
      id: row.id,
      attempts,
      failed: permanent,
      nextAttemptAt: new Date(now.getTime() + this.#backoff(attempts)),
      error: safeError(error),
    });
    this.#o.log(`notification outbox ${row.id}: ${safeError(error)}`);
  }

  #backoff(attempts: number): number {
    return Math.min(MAX_BACKOFF_MS, this.#o.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  }

  /** Claims due deliveries (and expired claims), then sends them one at a time at the configured pace. */
  async #sendBatch(pass: WorkerPass): Promise<void> {
    const now = this.#o.now();
    const limit = Math.max(
      1,
      Math.min(this.#o.batchSize, Math.floor((this.#o.ratePerSecond * this.#o.leaseMs) / 2000)),
    );
    const leaseUntil = new Date(now.getTime() + this.#o.leaseMs);
    // two claims, each served by its own partial index: mails whose worker died (lease run out), then due ones
    const claim = (which: 'expired' | 'due', n: number) =>
      claimDeliveries(this.#o.db, { which, limit: n, workerId: this.id, leaseUntil, now });
    const expired = await claim('expired', limit);
    const claimed = [...expired, ...(await claim('due', limit - expired.length))];
    // the petition and the answer are the same for most of a batch: read each once per batch
    const cache = new Map<string, Promise<unknown>>();
    const ordered = claimed.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    for (const [i, d] of ordered.entries()) {
      if (this.#stopRequested) {
        // hand the rest back rather than leave them to wait for the lease
        await handBackDeliveries(
          this.#o.db,
          ordered.slice(i).map((r) => r.id),
          this.id,
        );
        return;
      }
      await this.#deliver(d, pass, cache);
    }
  }

  async #deliver(
    d: Selectable<NotificationDeliveriesTable>,
    pass: WorkerPass,
    cache: Map<string, Promise<unknown>>,
  ): Promise<void> {
    const db = this.#o.db;
    const id = d.id;
    const finish = (set: Parameters<typeof finishDelivery>[3]) => finishDelivery(db, id, this.id, set);
    let composed:
      | { to: string; mail: ReturnType<typeof notificationMail>; unsubscribe: string }
      | 'skipped'
      | 'cancelled';
    try {
      composed = await this.#compose(d, cache);
    } catch (error) {
      await finish({ state: 'failed', last_error: safeError(error) });
      pass.failed += 1;
      return;
    }
    if (composed === 'skipped' || composed === 'cancelled') {
      await finish({ state: composed });
      pass.skipped += 1;
      return;
    }
    await this.#pace();
    try {
      await this.#o.mailer.send({
        to: composed.to,
        ...composed.mail,
        headers: {
          'Message-ID': d.message_id,
          // a desk notice is a legal request to a platform, not a subscription
          ...(composed.unsubscribe
            ? {
                'List-Unsubscribe': `<${composed.unsubscribe}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              }
            : {}),
          'X-Cheongwon-Notification': d.kind,
        },
      });
    } catch (error) {
      const now = this.#o.now();
      const permanent = error instanceof MailDeliveryError && error.permanent;
      if (permanent || d.attempts >= this.#o.maxAttempts) {
        await finish({ state: 'failed', last_error: safeError(error) });
        pass.failed += 1;
      } else {
        await finish({
          state: 'pending',
          last_error: safeError(error),
          next_attempt_at: new Date(now.getTime() + this.#backoff(d.attempts)),
        });
        pass.retried += 1;
      }
      return;
    }
    await markDeliverySent(db, d, this.#o.now());
    pass.sent += 1;
  }

  /** Waits so that sends keep to `ratePerSecond`. */
  async #pace(): Promise<void> {
    const interval = 1000 / this.#o.ratePerSecond;
    const now = Date.now();
    const at = Math.max(now, this.#nextSendAt);
    this.#nextSendAt = at + interval;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }

  /** The mail of a delivery, or why none goes out. */
  async #compose(
    d: {
      kind: string;
      petition_id: string | null;
      recipient: string;
      agreement_id: string | null;
      payload: Record<string, unknown>;
    },
    cache: Map<string, Promise<unknown>>,
  ): Promise<
    { to: string; mail: ReturnType<typeof notificationMail>; unsubscribe: string } | 'skipped' | 'cancelled'
  > {
    const db = this.#o.db;
    if (d.kind === DESK_NOTICE_KIND) {
      // the notice exactly as a desk officer approved it (plain text; the HTML part escapes it)
      const notice = await noticeForMail(db, String(d.payload.noticeId ?? ''));
      if (notice?.state !== 'sent' || !notice.recipient) return 'skipped';
      return {
        to: notice.recipient,
        mail: {
          subject: notice.subject,
          text: notice.body,
          html: `<pre style="white-space:pre-wrap;font:inherit">${escapeHtml(notice.body)}</pre>`,
        },
        unsubscribe: '',
      };
    }
    const petitionId = d.petition_id;
    if (petitionId === null) return 'skipped';
    const petition: PetitionForMail | undefined = await once(cache, `petition:${petitionId}`, () =>
      petitionForMail(db, petitionId),
    );
    if (!petition) return 'skipped';
    let to: string;
    let name: string;
    let locale: 'ko' | 'en';
    let unsubscribe: string;
    if (d.recipient === 'creator') {
      const creator = await creatorForMail(db, petitionId);
      if (!creator) return 'skipped';
      if (creator.unsubscribed_at !== null) return 'cancelled';
      ({ email: to, name, locale } = creator);
      unsubscribe = unsubscribeUrl(
        this.#o.publicUrl,
        this.#o.secret,
        {
          kind: 'creator',
          petitionId: petitionId,
        },
        locale,
      );
    } else {
      if (d.agreement_id === null) return 'skipped';
      const a = await signerForMail(db, d.agreement_id);
      if (!a?.notify) return 'cancelled';
      if (!a.email) return 'skipped';
      to = a.email;
      name = a.name ?? '';
      locale = a.locale;
      unsubscribe = unsubscribeUrl(
        this.#o.publicUrl,
        this.#o.secret,
        {
          kind: 'agreement',
          agreementId: d.agreement_id,
        },
        locale,
      );
    }
    const zone = getProfile(petition.profile).timeZone;
    const p = d.payload;
    const num = (x: unknown) => (typeof x === 'number' ? x : undefined);
    let response: Parameters<typeof notificationMail>[0]['response'];
    if (d.kind.endsWith('.answered')) {
      const responseId = typeof p.responseId === 'string' ? p.responseId : null;
      const r = responseId
        ? await once(cache, `response:${responseId}`, () => responseForMail(db, responseId))
        : undefined;
      if (!r) return 'skipped';
      response = {
        title: r.title,
        responderName: r.responder_name,
        responderTitle: r.responder_title,
        publishedOn: r.published_at ? localDate(r.published_at, zone) : '',
      };
    }
    const mail = notificationMail({
      kind: d.kind as NotificationKind,
      locale,
      displayName: name,
      petitionTitle: petition.title,
      petitionUrl: `${this.#o.publicUrl.replace(/\/+$/, '')}/petitions/${petition.id}`,
      unsubscribeUrl: unsubscribe,
      count: num(p.count),
      threshold: num(p.threshold),
      dueOn: petition.response_due_at
        ? localDate(new Date(petition.response_due_at.getTime() - 1), zone)
        : null,
      milestone: num(p.milestone),
      decision: (REVIEW_DECISION_NOTICES as readonly unknown[]).includes(p.decision)
        ? (p.decision as ReviewDecisionNotice)
        : undefined,
      reason: typeof p.reason === 'string' ? p.reason : null,
      track: trackOf(p.track),
      response,
    });
    return { to, mail, unsubscribe };
  }
}

/** An error's message for the database and logs: MailDeliveryError messages carry no address; others are cut. */
function safeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+/g, '[address]').slice(0, 500);
}

/** `load()` once per key within a batch. */
function once<T>(cache: Map<string, Promise<unknown>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(key, p);
  }
  return p;
}

/** The track details an outbox payload carries (parliamentary tracks), or undefined. */
function trackOf(v: unknown): Parameters<typeof notificationMail>[0]['track'] {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' ? x : null);
  return {
    stage: str(o.stage) ?? '',
    on: str(o.on),
    note: str(o.note),
    bodyName: str(o.bodyName),
    ...(typeof o.debated === 'boolean' ? { debated: o.debated } : {}),
  };
}
