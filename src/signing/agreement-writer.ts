import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  COUNTED_COLUMNS,
  type CountedPetition,
  type CountRules,
  countEffects,
} from '../domain/count-effects.js';
import { DomainError } from '../domain/errors.js';
import type { PolicySettings } from '../domain/policy-profiles.js';
import { isRecordNumber } from '../domain/record-numbers.js';

/** A new agreement to store. The signer key is already derived (see src/domain/identity.ts `signerKey`). */
export interface NewAgreement {
  petitionId: string;
  /** HMAC-SHA256 hex of (petition, pseudonymous person id): the database enforces one per petition. */
  signerKey: string;
  method: 'email' | 'oidc';
  region: string | null;
  locale: 'ko' | 'en';
  /** The signer asked to be told when the petition is answered. */
  notify: boolean;
  /**
   * Came through the creator's private pre-agreement link (checked by the caller): only such agreements are taken
   * while the petition collects pre-agreements (사전동의); everyone else may agree once it is open.
   */
  sponsor?: boolean;
  /**
   * Email path: the agreement counts only once the emailed link is confirmed. `tokenHash` is the SHA-256 hex of the
   * emailed token (the token itself is never stored); contact data is kept until confirmation (or, with `notify`,
   * until the petition is answered). Absent: one-click (verified identity) — counted at once.
   */
  confirmation?: { tokenHash: string; expiresAt: Date; contact: { email: string; name: string } };
}

export type AgreeOutcome =
  /** Stored and counted (one-click). */
  | { status: 'agreed'; agreementId: string; petitionId: string }
  /** Stored, waiting for the emailed link to be confirmed (email path). */
  | { status: 'pending'; agreementId: string; petitionId: string }
  /** This person had already agreed (or asked to) on this petition: nothing stored, nothing counted. */
  | { status: 'already_agreed'; agreementId: string; petitionId: string; confirmed: boolean };

export type ConfirmOutcome =
  | { status: 'confirmed'; agreementId: string; petitionId: string }
  | { status: 'already_confirmed'; agreementId: string; petitionId: string };

/** What one committed batch wrote: handed to `extraWrites` inside the same transaction. */
export interface CommittedBatch {
  now: Date;
  /** Agreements that became counted in this batch (new one-click rows and confirmed email rows). */
  counted: Array<{ agreementId: string; petitionId: string; signerKey: string }>;
}

export interface AgreementWriterOptions {
  db: Kysely<Database>;
  /** Effective settings of a profile (thresholds of petitions that have none of their own). */
  settingsFor: (profile: string) => PolicySettings;
  /** Time zone of a profile (response deadlines are local days). */
  timeZoneFor: (profile: string) => string;
  now?: () => Date;
  /**
   * How long a batch may gather requests once the first arrives (ms). Default 0: until the event loop has read
   * what arrived in the same turn — under load, batches grow by themselves while earlier ones are written.
   */
  maxWaitMs?: number;
  /** Largest batch (default 1,000 requests). */
  maxBatch?: number;
  /**
   * Batches that may be in flight at once (default 2). They overlap their inserts and serialise only on each
   * petition's count update (its row lock), so commit latency is shared instead of queued.
   */
  maxInFlight?: number;
  /** Emailed links can still be confirmed this long after the petition closed (ms, default 24 h). */
  confirmGraceMs?: number;
  /**
   * More writes in every batch's transaction, after the agreements: e.g. the coming per-petition append-only log of
   * agreement commitments, which must never miss an acknowledged agreement. Throwing aborts the batch. Counts may
   * be written after this hook (fast paths). Configuring it gives every batch an explicit transaction, so the
   * one-statement fast path is not used.
   */
  extraWrites?: (trx: Kysely<Database>, batch: CommittedBatch) => Promise<void>;
  /**
   * Writes that follow from counts, in the transaction of the batches whose counts may have effects (a threshold
   * crossed or undone, a petition collecting pre-agreements): the careful path, where the counts and their effects
   * are already written when it runs. Batches on the fast paths have no such effects and do not call it.
   */
  effectWrites?: (trx: Kysely<Database>, batch: CommittedBatch) => Promise<void>;
  /** Told, after each commit, the petitions whose counts it changed (e.g. to retire cached pages). */
  onCounted?: (petitionIds: string[]) => void;
}

/**
 * How a batch is written (see `AgreementWriter`):
 *  - `single`: one autocommitted statement — inserts, contacts and each petition's guarded count update;
 *  - `split`: BEGIN, the batch statement and lookups and `extraWrites`, then `update …count…; commit` as ONE
 *    message (confirmations, `extraWrites`, or a petition whose profile this writer has not seen yet);
 *  - `careful`: one transaction that updates the counts in the batch statement, then writes their effects and
 *    calls `effectWrites` (a guarded update refused, CW001; the petition then starts careful for a few seconds).
 */
type Mode = 'single' | 'split' | 'careful';

type Op =
  | { kind: 'agree'; request: NewAgreement; resolve: (o: AgreeOutcome) => void; reject: (e: unknown) => void }
  | {
      kind: 'confirm';
      tokenHash: string;
      resolve: (o: ConfirmOutcome) => void;
      reject: (e: unknown) => void;
    };

/**
 * The durable group-commit writer of agreements — the only writer of petitions' agreement counts.
 *
 * Requests are gathered (see `maxWaitMs`, or until `maxBatch`) and written in ONE transaction: a multi-row
 * `INSERT … ON CONFLICT (petition_id, signer_key) DO NOTHING`, the confirmations, then each touched petition's count
 * updated once (never a "+1" per agreement on a hot row) with threshold crossings recorded in the same transaction
 * (how, by path: `Mode`). Each caller's promise settles only after that transaction has committed: an acknowledged
 * agreement is durable. A count moves only by an atomic `agreement_count = agreement_count + n` on rows actually
 * inserted or confirmed: concurrent batches — of this writer or of another app instance — serialise on that row
 * lock alone and never double count (two batches locking two petitions in opposite orders would deadlock; the
 * server aborts one, which is retried); the unique constraint makes a second insert of the same person a no-op (it
 * waits for the first to commit, then reports a duplicate).
 *
 * Up to `maxInFlight` batches run at once; requests arriving meanwhile form the next batch (group commit).
 * `close()` stops taking requests and drains what is queued.
 */
export class AgreementWriter {
  readonly #db: Kysely<Database>;
  readonly #options: AgreementWriterOptions;
  readonly #now: () => Date;
  #queue: Op[] = [];
  /** Cancels the scheduled start of the next batch, when one is scheduled. */
  #cancelScheduled: (() => void) | null = null;
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;
  /** Petitions whose count recently needed the careful path, until when (epoch ms): their batches start careful. */
  readonly #careful = new Map<string, number>();
  /** Each petition's policy profile (it never changes), learned from batches: the guarded update needs thresholds. */
  readonly #profiles = new Map<string, string>();
  /** Batches written so far, by path (see `Mode`), and batches redone carefully after a guarded count refused. */
  readonly stats = { single: 0, split: 0, careful: 0, redone: 0 };

  constructor(options: AgreementWriterOptions) {
    this.#db = options.db;
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Stores an agreement; settles after commit.
   * @throws DomainError('petition_not_found' | 'petition_not_open'); a database error before the batch committed
   *   rejects the whole batch (nothing of it was stored or counted); after a one-statement batch committed, only
   *   requests whose follow-up read failed (people who may have agreed before) are rejected — theirs was not stored
   */
  agree(request: NewAgreement): Promise<AgreeOutcome> {
    return new Promise((resolve, reject) => this.#enqueue({ kind: 'agree', request, resolve, reject }));
  }

  /**
   * Confirms the agreement whose emailed token hashes to `tokenHash` (SHA-256 hex); settles after commit. A second
   * confirmation of the same token answers `already_confirmed` (a second click shows success again).
   * @throws DomainError('invalid_token') unknown token; DomainError('token_expired'); DomainError('petition_not_open')
   *   when the petition closed more than the grace period ago or is no longer public
   */
  confirm(tokenHash: string): Promise<ConfirmOutcome> {
    return new Promise((resolve, reject) => this.#enqueue({ kind: 'confirm', tokenHash, resolve, reject }));
  }

  /** Stops taking requests and resolves once every queued request has been written (graceful shutdown). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelScheduled?.();
    while (this.#queue.length > 0 || this.#inFlight.size > 0) {
      while (this.#queue.length > 0 && this.#inFlight.size < this.#maxInFlight) this.#startFlush();
      await Promise.race(this.#inFlight);
    }
  }

  get #maxBatch(): number {
    return this.#options.maxBatch ?? 1000;
  }

  get #maxInFlight(): number {
    return this.#options.maxInFlight ?? 2;
  }

  #enqueue(op: Op): void {
    if (this.#closed) {
      op.reject(new Error('The agreement writer is shutting down.'));
      return;
    }
    this.#queue.push(op);
    if (this.#queue.length >= this.#maxBatch) this.#startFlush();
    else this.#schedule();
  }

  /**
   * Starts a batch once the current turn of the event loop has read what arrived with it (`setImmediate`), or after
   * `maxWaitMs` when set: a burst becomes one batch, and a lone request waits for nothing.
   */
  #schedule(): void {
    if (this.#cancelScheduled || this.#queue.length === 0) return;
    const fire = () => {
      this.#cancelScheduled = null;
      this.#startFlush();
    };
    const wait = this.#options.maxWaitMs ?? 0;
    if (wait > 0) {
      const timer = setTimeout(fire, wait);
      this.#cancelScheduled = () => {
        clearTimeout(timer);
        this.#cancelScheduled = null;
      };
    } else {
      const immediate = setImmediate(fire);
      this.#cancelScheduled = () => {
        clearImmediate(immediate);
        this.#cancelScheduled = null;
      };
    }
  }

  #startFlush(): void {
    if (this.#queue.length === 0) return;
    if (this.#inFlight.size >= this.#maxInFlight) return; // a finishing batch schedules the next
    this.#cancelScheduled?.();
    const batch = this.#queue.splice(0, this.#maxBatch);
    const flight: Promise<void> = this.#write(batch).finally(() => {
      this.#inFlight.delete(flight);
      if (this.#closed || this.#queue.length >= this.#maxBatch) this.#startFlush();
      else this.#schedule(); // the callers just answered are sending more: gather them, not a batch of one
    });
    this.#inFlight.add(flight);
  }

  async #write(batch: Op[]): Promise<void> {
    let settle: Array<() => void> = [];
    /** What the committed batch added to each petition's count. */
    let deltas: CountDelta[] = [];
    let mode = this.#modeFor(batch);
    for (let attempt = 1; ; attempt++) {
      settle = [];
      const now = this.#now();
      try {
        if (mode === 'careful') {
          deltas = await this.#db
            .transaction()
            .execute((trx) => this.#writeBatch(trx, batch, settle, now, mode));
        } else if (mode === 'split') {
          deltas = await this.#writeSplit(batch, settle, now);
        } else {
          deltas = await this.#writeBatch(this.#db, batch, settle, now, mode);
        }
        this.stats[mode]++;
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === COUNT_NEEDS_CARE && mode !== 'careful') {
          // a guarded count would have had effects; its transaction wrote nothing: redo the batch carefully
          this.#careful.set(String((error as { detail?: string }).detail), Date.now() + CAREFUL_MS);
          mode = 'careful';
          this.stats.redone++;
          attempt--;
          continue;
        }
        // a deadlock or serialization failure rolled everything back: the batch can simply run again
        if (attempt < 3 && (code === '40P01' || code === '40001')) continue;
        for (const op of batch) op.reject(error);
        return;
      }
    }
    if (deltas.length > 0) {
      try {
        this.#options.onCounted?.(deltas.map((d) => d.petitionId));
      } catch (error) {
        // committed is committed: a listener's failure must not keep the callers from their answers
        console.error('agreement writer: onCounted failed', error);
      }
    }
    for (const s of settle) s(); // answer only after commit
  }

  /** How to write a batch (see `Mode`). */
  #modeFor(batch: Op[]): Mode {
    if (this.#careful.size > 0) {
      const now = Date.now();
      for (const [id, until] of this.#careful) if (until <= now) this.#careful.delete(id);
      if (batch.some((op) => op.kind === 'agree' && this.#careful.has(op.request.petitionId)))
        return 'careful';
    }
    if (this.#options.extraWrites) return 'split';
    for (const op of batch) {
      if (op.kind === 'confirm' || !this.#profiles.has(op.request.petitionId)) return 'split';
    }
    return 'single';
  }

  /**
   * The split path, on one pinned connection: BEGIN, the batch's writes and hooks, then the count update and
   * COMMIT sent as ONE simple-query message. The petitions' row locks, taken by that update, are held only while
   * the server commits — never across a round trip to this process, whose event loop is busy answering HTTP.
   */
  async #writeSplit(batch: Op[], settle: Array<() => void>, now: Date): Promise<CountDelta[]> {
    return await this.#db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      try {
        const deltas = await this.#writeBatch(conn, batch, settle, now, 'split');
        await sql.raw(`${guardedCountUpdate(deltas, now, this.#options.settingsFor)}commit`).execute(conn);
        return deltas;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw error;
      }
    });
  }

  /** Thresholds of a petition for the guarded update: its profile's (the petition's own override them in SQL). */
  #thresholds(petitionId: string): { response: number; debate: number | null } {
    const profile = this.#profiles.get(petitionId);
    if (profile === undefined) {
      // forgotten since `#modeFor` chose 'single' (the memory was emptied meanwhile); nothing is sent yet: the
      // batch is redone carefully, as when the guard refuses
      throw Object.assign(new Error(`profile of petition ${petitionId} not known`), {
        code: COUNT_NEEDS_CARE,
        detail: petitionId,
      });
    }
    const settings = this.#options.settingsFor(profile);
    return { response: settings.responseThreshold, debate: settings.debateThreshold };
  }

  /**
   * Writes a batch: in the caller's transaction (`careful`, `split`), or as one autocommitted statement followed by
   * reads (`single`; `trx` is then the pool). `careful` and `single` update the counts in the batch statement;
   * `split` leaves them to the caller and returns what each petition's count must move by.
   */
  async #writeBatch(
    trx: Kysely<Database>,
    batch: Op[],
    settle: Array<() => void>,
    now: Date,
    mode: Mode,
  ): Promise<CountDelta[]> {
    const deltas: CountDelta[] = [];
    const agrees = batch.filter((op): op is Extract<Op, { kind: 'agree' }> => op.kind === 'agree');
    const confirms = batch.filter((op): op is Extract<Op, { kind: 'confirm' }> => op.kind === 'confirm');

    const tokenRows =
      confirms.length > 0
        ? await trx
            .selectFrom('agreements')
            .select([
              'id',
              'petition_id',
              'signer_key',
              'confirmed_at',
              'token_expires_at',
              'confirmation_token_hash',
            ])
            .where('confirmation_token_hash', 'in', [...new Set(confirms.map((c) => c.tokenHash))])
            .execute()
        : [];
    // Petition rows are read only where a decision needs them (confirmations; agreements the insert refused): the
    // insert itself admits only petitions that are collecting, so the common batch spends no round trip on them.
    const petitions = new Map<string, { id: string; state: string; closes_at: Date | null }>();
    const loadPetitions = async (ids: string[]) => {
      const wanted = [...new Set(ids)].filter((id) => !petitions.has(id));
      if (wanted.length === 0) return;
      const rows = await trx
        .selectFrom('petitions')
        .select(['id', 'state', 'closes_at'])
        .where('id', 'in', wanted)
        .execute();
      for (const row of rows) petitions.set(row.id, row);
    };
    await loadPetitions(tokenRows.map((t) => t.petition_id));
    const counted: CommittedBatch['counted'] = [];

    // --- confirmations of emailed links (decided first: their counts join the one count update below)
    const confirmedDelta = new Map<string, number>();
    const tokenByHash = new Map(tokenRows.map((t) => [t.confirmation_token_hash, t]));
    const toConfirm = new Map<string, (typeof tokenRows)[number]>();
    const confirmAnswers: Array<{ op: Extract<Op, { kind: 'confirm' }>; row: (typeof tokenRows)[number] }> =
      [];
    for (const op of confirms) {
      const row = tokenByHash.get(op.tokenHash);
      const p = row ? petitions.get(row.petition_id) : undefined;
      const graceMs = this.#options.confirmGraceMs ?? 24 * 3600_000;
      if (!row || !p) {
        settle.push(() => op.reject(new DomainError('invalid_token', '확인 링크가 올바르지 않습니다.')));
      } else if (row.confirmed_at !== null || toConfirm.has(row.id)) {
        confirmAnswers.push({ op, row });
      } else if (row.token_expires_at !== null && now >= row.token_expires_at) {
        settle.push(() => op.reject(new DomainError('token_expired', '확인 링크의 유효 기간이 지났습니다.')));
      } else if (
        !['open', 'closed', 'collecting_pre_agreements'].includes(p.state) ||
        (p.closes_at !== null && now.getTime() >= p.closes_at.getTime() + graceMs)
      ) {
        settle.push(() =>
          op.reject(new DomainError('petition_not_open', '이 청원은 더 이상 동의를 받지 않습니다.')),
        );
      } else {
        toConfirm.set(row.id, row);
        confirmAnswers.push({ op, row });
      }
    }
    if (toConfirm.size > 0) {
      const confirmed = await trx
        .updateTable('agreements')
        .set({ confirmed_at: now })
        .where('id', 'in', [...toConfirm.keys()])
        .where('confirmed_at', 'is', null)
        .returning(['id', 'petition_id', 'signer_key', 'notify'])
        .execute();
      for (const row of confirmed) {
        confirmedDelta.set(row.petition_id, (confirmedDelta.get(row.petition_id) ?? 0) + 1);
        counted.push({ agreementId: row.id, petitionId: row.petition_id, signerKey: row.signer_key });
      }
      // data minimisation: contact data goes once confirmed, unless the signer asked to hear back
      const forget = confirmed.filter((r) => !r.notify).map((r) => r.id);
      if (forget.length > 0)
        await trx.deleteFrom('agreement_contacts').where('agreement_id', 'in', forget).execute();
    }
    for (const { op, row } of confirmAnswers) {
      const outcome: ConfirmOutcome = {
        status: toConfirm.has(row.id) && row.confirmed_at === null ? 'confirmed' : 'already_confirmed',
        agreementId: row.id,
        petitionId: row.petition_id,
      };
      settle.push(() => op.resolve(outcome));
    }

    // --- new agreements
    // the same person twice in one batch: one row; the later requests learn it as a duplicate
    const firstOf = new Map<string, Extract<Op, { kind: 'agree' }>>();
    const repeats: Array<Extract<Op, { kind: 'agree' }>> = [];
    for (const op of agrees) {
      const key = `${op.request.petitionId}\n${op.request.signerKey}`;
      if (firstOf.has(key)) repeats.push(op);
      else firstOf.set(key, op);
    }
    // in (petition, signer key) order: two batches holding the same people never wait on each other crosswise
    const unique = [...firstOf.values()].sort((a, b) =>
      a.request.petitionId === b.request.petitionId
        ? a.request.signerKey < b.request.signerKey
          ? -1
          : 1
        : BigInt(a.request.petitionId) < BigInt(b.request.petitionId)
          ? -1
          : 1,
    );
    const inserted = new Map<string, { id: string; confirmed: boolean }>();
    if (unique.length > 0 || confirmedDelta.size > 0) {
      // ONE statement: the insert, the contacts of new email agreements, and each touched petition's count moved
      // once by the rows actually inserted-and-counted plus the confirmations above. The petition row lock is taken
      // at the end of the statement and held only until commit.
      const r = unique.map((op) => op.request);
      const result = await sql<{ inserted: InsertedRow[]; counts: Array<CountedRow> }>`
        with u as (
          select * from unnest(
            ${r.map((a) => a.petitionId)}::bigint[], ${r.map((a) => a.signerKey)}::text[],
            ${r.map((a) => a.method)}::text[], ${r.map((a) => a.region)}::text[], ${r.map((a) => a.locale)}::text[],
            ${r.map((a) => a.notify)}::boolean[],
            ${r.map((a) => (a.confirmation ? null : 'counted'))}::text[],
            ${r.map((a) => a.confirmation?.tokenHash ?? null)}::text[],
            ${r.map((a) => a.confirmation?.expiresAt.toISOString() ?? null)}::timestamptz[],
            ${r.map((a) => a.sponsor === true)}::boolean[],
            ${r.map((a) => a.confirmation?.contact.email ?? null)}::text[],
            ${r.map((a) => a.confirmation?.contact.name ?? null)}::text[])
            as u (petition_id, signer_key, method, region, locale, notify, counted, confirmation_token_hash,
                  token_expires_at, sponsor, contact_email, contact_name)
        ),
        ins as (
          insert into agreements (petition_id, signer_key, method, region, locale, notify, created_at, confirmed_at,
                                  confirmation_token_hash, token_expires_at)
          select u.petition_id, u.signer_key, u.method, u.region, u.locale, u.notify, ${now.toISOString()}::timestamptz,
                 case when u.counted is not null then ${now.toISOString()}::timestamptz end,
                 u.confirmation_token_hash, u.token_expires_at
          from u
          join petitions p on p.id = u.petition_id
            and (p.state = 'open' or (u.sponsor and p.state = 'collecting_pre_agreements'))
            and (p.closes_at is null or p.closes_at > ${now.toISOString()}::timestamptz)
          order by u.petition_id, u.signer_key
          on conflict (petition_id, signer_key) do nothing
          returning id, petition_id, signer_key, confirmed_at
        ),
        contacts as (
          insert into agreement_contacts (agreement_id, email, name, created_at)
          select ins.id, u.contact_email, u.contact_name, ${now.toISOString()}::timestamptz
          from ins join u on u.petition_id = ins.petition_id and u.signer_key = ins.signer_key
          where u.contact_email is not null
        ),
        d as (
          select petition_id, sum(n)::int as n from (
            select petition_id, 1 as n from ins where confirmed_at is not null
            union all
            select * from unnest(${[...confirmedDelta.keys()]}::bigint[], ${[...confirmedDelta.values()]}::int[])
          ) as x (petition_id, n)
          group by petition_id
        ),
        ${this.#countsStep(mode, now, [...new Set(unique.map((op) => op.request.petitionId))])}
        select
          (select coalesce(json_agg(json_build_object('id', id::text, 'petition_id', petition_id::text,
                   'signer_key', signer_key, 'counted', confirmed_at is not null)), '[]') from ins) as inserted,
          (select coalesce(json_agg(counts), '[]') from counts) as counts`.execute(trx);
      const row = result.rows[0];
      for (const c of row?.counts ?? []) {
        this.#profiles.set(String(c.id), c.profile);
        deltas.push({ petitionId: String(c.id), added: c.added, profile: c.profile });
      }
      if (this.#profiles.size > MAX_KNOWN_PROFILES) this.#profiles.clear(); // relearned by the next batches
      for (const a of row?.inserted ?? []) {
        inserted.set(`${a.petition_id}\n${a.signer_key}`, { id: a.id, confirmed: a.counted });
        if (a.counted)
          counted.push({ agreementId: a.id, petitionId: a.petition_id, signerKey: a.signer_key });
      }
      // what follows from the new counts (threshold crossings, review): rare, in the same transaction
      for (const c of mode === 'careful' ? (row?.counts ?? []) : []) {
        const after: CountedPetition = {
          ...c,
          id: String(c.id),
          closes_at: c.closes_at === null ? null : new Date(c.closes_at),
          response_threshold_reached_at:
            c.response_threshold_reached_at === null ? null : new Date(c.response_threshold_reached_at),
          debate_threshold_reached_at:
            c.debate_threshold_reached_at === null ? null : new Date(c.debate_threshold_reached_at),
        };
        const effects = countEffects(
          { ...after, agreement_count: after.agreement_count - c.added },
          after.agreement_count,
          now,
          this.#options,
        );
        if (effects) await trx.updateTable('petitions').set(effects).where('id', '=', after.id).execute();
      }
    }
    // requests whose person had already agreed before this batch, and repeats within it
    const missing = [
      ...unique.filter((op) => !inserted.has(`${op.request.petitionId}\n${op.request.signerKey}`)),
      ...repeats,
    ];
    for (const op of unique) {
      const key = `${op.request.petitionId}\n${op.request.signerKey}`;
      const row = inserted.get(key);
      if (row) {
        const outcome: AgreeOutcome = row.confirmed
          ? { status: 'agreed', agreementId: row.id, petitionId: op.request.petitionId }
          : { status: 'pending', agreementId: row.id, petitionId: op.request.petitionId };
        settle.push(() => op.resolve(outcome));
      }
    }
    const existing = new Map<string, { id: string; confirmed: boolean }>();
    const lookups = missing.filter(
      (op) => !inserted.has(`${op.request.petitionId}\n${op.request.signerKey}`),
    );
    try {
      await this.#lookUp(trx, lookups, existing);
      await loadPetitions(lookups.map((op) => op.request.petitionId));
    } catch (error) {
      if (mode !== 'single') throw error; // inside the transaction: the whole batch rolls back
      // 'single' has committed: the agreements it stored stand and are answered; only those that needed a
      // lookup learn that it failed (nothing of theirs was stored by this batch)
      for (const op of missing) {
        const fresh = inserted.get(`${op.request.petitionId}\n${op.request.signerKey}`); // a double click
        settle.push(() =>
          fresh
            ? op.resolve({
                status: 'already_agreed',
                agreementId: fresh.id,
                petitionId: op.request.petitionId,
                confirmed: fresh.confirmed,
              })
            : op.reject(error),
        );
      }
      return deltas;
    }
    for (const op of missing) {
      const key = `${op.request.petitionId}\n${op.request.signerKey}`;
      const fresh = inserted.get(key); // a repeat within this batch of a row it inserted
      const p = petitions.get(op.request.petitionId);
      // Whether the petition takes this agreement is decided BEFORE looking at earlier agreements, so the answer
      // never tells whether someone had signed a petition that is closed or not public.
      const takes =
        fresh !== undefined ||
        (p !== undefined &&
          (p.state === 'open' || (op.request.sponsor === true && p.state === 'collecting_pre_agreements')) &&
          (p.closes_at === null || now < p.closes_at));
      const row = takes ? (fresh ?? existing.get(key)) : undefined;
      if (!row) {
        const isPublic = p !== undefined && (p.state === 'open' || p.state === 'closed');
        const error = isPublic
          ? new DomainError('petition_not_open', '이 청원은 동의를 받고 있지 않습니다.')
          : new DomainError('petition_not_found', '청원을 찾을 수 없습니다.');
        settle.push(() => op.reject(error));
        continue;
      }
      const outcome: AgreeOutcome = {
        status: 'already_agreed',
        agreementId: row.id,
        petitionId: op.request.petitionId,
        confirmed: row.confirmed,
      };
      settle.push(() => op.resolve(outcome));
    }
    const written: CommittedBatch = { now, counted };
    if (mode === 'careful') await this.#options.effectWrites?.(trx, written);
    await this.#options.extraWrites?.(trx, written);
    return deltas;
  }

  /** Reads the earlier agreements of `lookups`' people into `existing` (key: petition id, newline, signer key). */
  async #lookUp(
    db: Kysely<Database>,
    lookups: Array<Extract<Op, { kind: 'agree' }>>,
    existing: Map<string, { id: string; confirmed: boolean }>,
  ): Promise<void> {
    if (lookups.length === 0) return;
    const rows = (
      await sql<{ id: string; petition_id: string; signer_key: string; confirmed_at: Date | null }>`
        select a.id, a.petition_id, a.signer_key, a.confirmed_at
        from agreements a
        join unnest(${lookups.map((op) => op.request.petitionId)}::bigint[],
                    ${lookups.map((op) => op.request.signerKey)}::text[]) as k (petition_id, signer_key)
          on a.petition_id = k.petition_id and a.signer_key = k.signer_key`.execute(db)
    ).rows;
    for (const row of rows) {
      existing.set(`${row.petition_id}\n${row.signer_key}`, {
        id: row.id,
        confirmed: row.confirmed_at !== null,
      });
    }
  }

  /**
   * The batch statement's last step, `counts`, over `d` (petition_id, n) — rows of petitions (`id`, `profile`,
   * `added`, and in careful mode the `COUNTED_COLUMNS` after the update):
   *  - careful: adds to each count (the transaction then writes the effects);
   *  - single: adds only where that has no effects, else raises CW001 (`agreement_count_needs_care`);
   *  - split: reads the profiles only; the caller updates the counts at commit.
   * @param petitionIds the batch's new agreements' petitions (single: their profiles are known, see `#modeFor`)
   */
  #countsStep(mode: Mode, now: Date, petitionIds: string[]) {
    if (mode === 'split') {
      return sql`counts as (
          select d.petition_id as id, d.n as added, p.profile from d join petitions p on p.id = d.petition_id)`;
    }
    if (mode === 'careful') {
      return sql`counts as (
          update petitions p set agreement_count = p.agreement_count + d.n, updated_at = ${now.toISOString()}::timestamptz
          from d where p.id = d.petition_id
          returning ${sql.join(COUNTED_COLUMNS.map((c) => sql.ref(`p.${c}`)))}, d.n as added)`;
    }
    const thresholds = petitionIds.map((id) => this.#thresholds(id));
    return sql`counts as (
          update petitions p set agreement_count = ${sql.raw(guardedSum('t.rt', 't.dt'))},
                 updated_at = ${now.toISOString()}::timestamptz
          from d join unnest(${petitionIds}::bigint[], ${thresholds.map((t) => t.response)}::int[],
                             ${thresholds.map((t) => t.debate)}::int[]) as t (id, rt, dt) on t.id = d.petition_id
          where p.id = d.petition_id
          returning p.id, p.profile, d.n as added)`;
  }
}

/** SQLSTATE raised by `agreement_count_needs_care` (migration 2300_count_guard). */
const COUNT_NEEDS_CARE = 'CW001';

/** How long a petition whose count needed the careful path starts its batches careful (ms). */
const CAREFUL_MS = 5_000;

/** Petitions whose profile the writer remembers before it forgets them all (they are relearned in split batches). */
const MAX_KNOWN_PROFILES = 100_000;

/** What the fast path adds to one petition's count. */
export interface CountDelta {
  petitionId: string;
  added: number;
  profile: string;
}

/**
 * The fast path's count update, as SQL text ending in `;` (values inlined: it is sent with COMMIT as one
 * simple-query message, which takes no parameters; every value is an integer or a profile's threshold). Each
 * petition's count moves by its delta only where that has no effect on anything else — the petition is open, and
 * each of its thresholds stays on the side it was (not reached and still below, or reached and still at or above);
 * otherwise the update calls `agreement_count_needs_care`, which aborts the transaction with CW001.
 * @param deltas per petition: its id (decimal string), how many agreements to add, and its policy profile
 * @param now the batch's instant (UTC), written as `updated_at`
 * @param settingsFor the profile's effective settings (thresholds of petitions that have none of their own)
 * @returns the statement, or '' when there is nothing to count
 * @throws RangeError when an id or a number is not an integer (nothing else is ever inlined)
 */
export function guardedCountUpdate(
  deltas: CountDelta[],
  now: Date,
  settingsFor: (profile: string) => PolicySettings,
): string {
  if (deltas.length === 0) return '';
  const int = (n: number | null) => {
    if (n === null) return 'null::int';
    if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
    return `${n}::int`;
  };
  const rows = deltas.map((d) => {
    if (!isRecordNumber(d.petitionId)) throw new RangeError(`not a petition id: ${d.petitionId}`);
    const settings = settingsFor(d.profile);
    return `(${d.petitionId}::bigint, ${int(d.added)}, ${int(settings.responseThreshold)}, ${int(settings.debateThreshold)})`;
  });
  return `update petitions p set agreement_count = ${guardedSum('d.rt', 'd.dt')},
      updated_at = '${now.toISOString()}'::timestamptz
    from (values ${rows.join(', ')}) as d (id, n, rt, dt)
    where p.id = d.id;
`;
}

/**
 * SQL for `petitions p`'s count plus `d.n` where that has no effect on anything else — the petition is open and
 * each threshold stays on its side (not reached and still below, or reached and still at or above; the petition's
 * own threshold, else the profile's `responseThreshold`/`debateThreshold` expressions) — and a call of
 * `agreement_count_needs_care(p.id)`, which raises CW001, otherwise. Mirrors `countEffects`: whenever that would
 * return effects, this raises.
 */
function guardedSum(profileResponseThreshold: string, profileDebateThreshold: string): string {
  const stays = (threshold: string, reachedAt: string) =>
    `(case when ${reachedAt} is null then p.agreement_count + d.n < ${threshold}
           else p.agreement_count + d.n >= ${threshold} end)`;
  const response = `coalesce(p.response_threshold, ${profileResponseThreshold})`;
  const debate = `coalesce(p.debate_threshold, ${profileDebateThreshold})`;
  return `case
        when p.state = 'open'
         and ${stays(response, 'p.response_threshold_reached_at')}
         and (${debate} is null or ${stays(debate, 'p.debate_threshold_reached_at')})
        then p.agreement_count + d.n
        else agreement_count_needs_care(p.id) end`;
}

/** A row the batch statement inserted (ids as decimal strings). */
interface InsertedRow {
  id: string;
  petition_id: string;
  signer_key: string;
  counted: boolean;
}

/** A petition row the batch statement counted, as JSON (timestamps as strings), with what this batch added. */
type CountedRow = Omit<
  CountedPetition,
  'closes_at' | 'response_threshold_reached_at' | 'debate_threshold_reached_at'
> & {
  closes_at: string | null;
  response_threshold_reached_at: string | null;
  debate_threshold_reached_at: string | null;
  added: number;
};

/**
 * Sets a petition's agreement count and everything that follows from it (`countEffects`), in the caller's
 * transaction, which must hold the petition's row lock. Used by `reconcile --fix`; the batch writer increments
 * atomically and applies `countEffects` itself. These are the only two writers of a count.
 */
export async function writeCount(
  trx: Transaction<Database>,
  p: CountedPetition,
  newCount: number,
  now: Date,
  deps: CountRules,
): Promise<void> {
  const effects = countEffects(p, newCount, now, deps) ?? {};
  await trx
    .updateTable('petitions')
    .set({ agreement_count: newCount, ...effects, updated_at: now })
    .where('id', '=', p.id)
    .execute();
}
