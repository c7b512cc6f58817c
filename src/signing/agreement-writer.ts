import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  agreementRefusal,
  DEFAULT_CONFIRM_GRACE_MS,
  takesAgreement,
  takesConfirmation,
} from '../domain/admission.js';
import { type CountRules, countEffects } from '../domain/count-effects.js';
import { DomainError } from '../domain/errors.js';
import type { PetitionState } from '../domain/petition-states.js';
import { receiptCommitment } from '../domain/tlog/entries.js';
import {
  type BatchLeaves,
  COUNT_NEEDS_CARE,
  type ConfirmedLeaf,
  type CountDelta,
  type CountsStep,
  confirmAgreements,
  findAdmissionFacts,
  findAgreementsByTokenHash,
  findAgreementsOf,
  findLeafIndices,
  guardedCountUpdate,
  inPinnedTransaction,
  type TokenRow,
  writeAgreementBatch,
  writeCountEffects,
} from '../repositories/writes/agreement-batches.js';
import type {
  AgreementLog,
  AgreementWrites,
  AgreeOutcome,
  CommittedBatch,
  ConfirmOutcome,
  CountEffectWrites,
  CountListener,
  NewAgreement,
} from './agreement-batch.js';

export type {
  AgreementLog,
  AgreementWrites,
  AgreeOutcome,
  CommittedBatch,
  ConfirmOutcome,
  CountEffectWrites,
  CountListener,
  NewAgreement,
} from './agreement-batch.js';
export { NO_AGREEMENT_LOG } from './agreement-batch.js';

export interface AgreementWriterOptions {
  db: Kysely<Database>;
  /**
   * Effective settings and time zone of a profile (thresholds of petitions that have none of their own; response
   * deadlines are local days).
   */
  rules: CountRules;
  /** The writes that follow from counts on the careful path (in the app: the notifications outbox). */
  effects: CountEffectWrites;
  /** Told after each commit which petitions' counts changed (in the app: the page cache). */
  counted: CountListener;
  /**
   * The transparency log (src/transparency/agreement-log.ts): every counted agreement's leaf is stored by the
   * statement that counts it. `NO_AGREEMENT_LOG` only for the benchmark's log-off baseline.
   */
  log: AgreementLog;
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
}

/**
 * How a batch is written (see `AgreementWriter`); on every path the transparency log's leaves are stored by the
 * statement that moves the counts, at the indices that same UPDATE takes from `log_size`:
 *  - `single`: one autocommitted statement — inserts, contacts, each petition's guarded count update and the leaves;
 *  - `split`: BEGIN, the batch statement and lookups, then `update …count… + insert leaves; commit` as ONE message
 *    (confirmations, or a petition whose profile this writer has not seen yet);
 *  - `careful`: one transaction that updates the counts and stores the leaves in the batch statement, then writes
 *    the counts' effects and the `effects` writes (a guarded update refused, CW001; the petition then starts
 *    careful for a few seconds).
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
 *
 * Who may agree or confirm is decided by src/domain/admission.ts (the batch statement applies the same state
 * groups); what follows from a count by `countEffects` (src/domain/count-effects.ts). Every SQL text is in
 * src/repositories/writes/agreement-batches.ts. The collaborators are named and required (src/wiring/signing.ts
 * gives them): `rules`, `effects` (careful path), `counted` (after commit) and `log` (every batch's transaction).
 */
export class AgreementWriter implements AgreementWrites {
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
          deltas = (
            await this.#db
              .transaction()
              .execute((trx) => this.#writeBatch(trx, batch, settle, now, mode, new Map()))
          ).deltas;
        } else if (mode === 'split') {
          deltas = await this.#writeSplit(batch, settle, now);
        } else {
          deltas = (await this.#writeBatch(this.#db, batch, settle, now, mode, new Map())).deltas;
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
        this.#options.counted.countsChanged(deltas.map((d) => d.petitionId));
      } catch (error) {
        // committed is committed: a listener's failure must not keep the callers from their answers
        console.error('agreement writer: the count listener failed', error);
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
    const leafless: LeafOutcomes = new Map();
    const written = await inPinnedTransaction(
      this.#db,
      (conn) => this.#writeBatch(conn, batch, settle, now, 'split', leafless),
      ({ deltas, leaves }) =>
        guardedCountUpdate(deltas, now, this.#options.rules.settingsFor, leaves ?? undefined),
    );
    if (leafless.size > 0) {
      // the indices were taken at commit: read them for the receipts (committed is committed: on failure the
      // answers go without an index, which the receipt page finds later)
      try {
        const found = await findLeafIndices(this.#db, [...leafless.keys()]);
        for (const [agreementId, outcome] of leafless) {
          const idx = found.get(agreementId);
          if (idx !== undefined) outcome.leafIndex = idx;
        }
      } catch (error) {
        console.error('agreement writer: reading leaf indices after commit failed', error);
      }
    }
    return written.deltas;
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
    const settings = this.#options.rules.settingsFor(profile);
    return { response: settings.responseThreshold, debate: settings.debateThreshold };
  }

  /**
   * Writes a batch: in the caller's transaction (`careful`, `split`), or as one autocommitted statement followed by
   * reads (`single`; `trx` is then the pool). `careful` and `single` update the counts and store the leaves in the
   * batch statement; `split` leaves both to the caller and returns what each petition's count must move by and
   * the leaves to store (null without a log), and puts the outcomes whose leaf index is known only after commit in
   * `leafless` (by agreement id).
   */
  async #writeBatch(
    trx: Kysely<Database>,
    batch: Op[],
    settle: Array<() => void>,
    now: Date,
    mode: Mode,
    leafless: LeafOutcomes,
  ): Promise<{ deltas: CountDelta[]; leaves: ConfirmedLeaf[] | null }> {
    const deltas: CountDelta[] = [];
    const log = this.#options.log;
    const logged = !log.recordsNothing;
    /** Outcomes of agreements counted by this batch, by agreement id: their leaf index is filled in below. */
    const countedOutcomes: LeafOutcomes = new Map();
    const agrees = batch.filter((op): op is Extract<Op, { kind: 'agree' }> => op.kind === 'agree');
    const confirms = batch.filter((op): op is Extract<Op, { kind: 'confirm' }> => op.kind === 'confirm');

    const tokenRows = await findAgreementsByTokenHash(
      trx,
      confirms.map((c) => c.tokenHash),
    );
    // Petition rows are read only where a decision needs them (confirmations; agreements the insert refused): the
    // insert itself admits only petitions that are collecting, so the common batch spends no round trip on them.
    const petitions = new Map<
      string,
      { id: string; state: PetitionState; closes_at: Date | null; profile: string }
    >();
    const loadPetitions = async (ids: string[]) => {
      const wanted = [...new Set(ids)].filter((id) => !petitions.has(id));
      for (const row of await findAdmissionFacts(trx, wanted)) petitions.set(row.id, row);
    };
    await loadPetitions(tokenRows.map((t) => t.petition_id));
    const counted: CommittedBatch['counted'] = [];

    // --- confirmations of emailed links (decided first: their counts join the one count update below)
    const confirmedDelta = new Map<string, number>();
    const tokenByHash = new Map(tokenRows.map((t) => [t.confirmation_token_hash, t]));
    const toConfirm = new Map<string, TokenRow>();
    const confirmAnswers: Array<{ op: Extract<Op, { kind: 'confirm' }>; row: TokenRow }> = [];
    const graceMs = this.#options.confirmGraceMs ?? DEFAULT_CONFIRM_GRACE_MS;
    // the log entries of the links that may be confirmed (null: the petition's log key is destroyed)
    const confirmEntries = new Map<string, Uint8Array | null>();
    if (logged) {
      const candidates = tokenRows.filter((t) => t.confirmed_at === null);
      const made = await log.entries(
        trx,
        candidates.map((t) => ({
          petitionId: t.petition_id,
          signerKey: t.signer_key,
          // an agreement stored before the log existed has no commitment: its receipt secret is made here and
          // kept by nobody (its leaf still counts, its signer has no receipt)
          commitment: t.receipt_commitment ?? receiptCommitment(randomBytes(16)),
        })),
      );
      for (const [i, t] of candidates.entries()) confirmEntries.set(t.id, made[i] ?? null);
    }
    for (const op of confirms) {
      const row = tokenByHash.get(op.tokenHash);
      const p = row ? petitions.get(row.petition_id) : undefined;
      if (!row || !p) {
        settle.push(() => op.reject(new DomainError('invalid_token', '확인 링크가 올바르지 않습니다.')));
      } else if (row.confirmed_at !== null || toConfirm.has(row.id)) {
        confirmAnswers.push({ op, row });
      } else if (row.token_expires_at !== null && now >= row.token_expires_at) {
        settle.push(() => op.reject(new DomainError('token_expired', '확인 링크의 유효 기간이 지났습니다.')));
      } else if (!takesConfirmation(p, now, graceMs) || (logged && !confirmEntries.get(row.id))) {
        settle.push(() =>
          op.reject(new DomainError('petition_not_open', '이 청원은 더 이상 동의를 받지 않습니다.')),
        );
      } else {
        toConfirm.set(row.id, row);
        confirmAnswers.push({ op, row });
      }
    }
    // data minimisation: contact data goes once confirmed, unless the signer asked to hear back
    const confirmedLeaves: ConfirmedLeaf[] = [];
    for (const row of await confirmAgreements(trx, [...toConfirm.keys()], now)) {
      confirmedDelta.set(row.petition_id, (confirmedDelta.get(row.petition_id) ?? 0) + 1);
      counted.push({ agreementId: row.id, petitionId: row.petition_id, signerKey: row.signer_key });
      const entry = confirmEntries.get(row.id);
      if (entry) confirmedLeaves.push({ petitionId: row.petition_id, agreementId: row.id, entry });
    }
    const confirmedNow = new Set(counted.map((c) => c.agreementId));
    for (const { op, row } of confirmAnswers) {
      const outcome: ConfirmOutcome = {
        status: confirmedNow.has(row.id) ? 'confirmed' : 'already_confirmed',
        agreementId: row.id,
        petitionId: row.petition_id,
      };
      if (outcome.status === 'confirmed') countedOutcomes.set(row.id, outcome);
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
    let splitLeaves: ConfirmedLeaf[] | null = null;
    /** Leaf indices the batch statement took (single, careful), by agreement id. */
    const leafIndices = new Map<string, string>();
    if (unique.length > 0 || confirmedDelta.size > 0) {
      // the one-click agreements' log entries (emailed ones get theirs at confirmation)
      let leaves: BatchLeaves | undefined;
      if (logged) {
        const oneClick = unique.filter((op) => !op.request.confirmation);
        const made = await log.entries(
          trx,
          oneClick.map((op) => ({
            petitionId: op.request.petitionId,
            signerKey: op.request.signerKey,
            commitment: op.request.receiptCommitment,
          })),
        );
        const entryOf = new Map(oneClick.map((op, i) => [op, made[i] ?? null]));
        leaves = { entries: unique.map((op) => entryOf.get(op) ?? null), confirmed: confirmedLeaves };
      }
      // ONE statement: the insert, the contacts of new email agreements, and each touched petition's count moved
      // once by the rows actually inserted-and-counted plus the confirmations above (and, with the log and unless
      // split, their leaves)
      const result = await writeAgreementBatch(
        trx,
        unique.map((op) => op.request),
        confirmedDelta,
        now,
        this.#countsStep(mode, [...new Set(unique.map((op) => op.request.petitionId))]),
        leaves,
      );
      for (const leaf of result.leaves) {
        leafIndices.set(leaf.agreement_id, leaf.idx);
        const outcome = countedOutcomes.get(leaf.agreement_id); // a confirmation's
        if (outcome) outcome.leafIndex = leaf.idx;
      }
      if (leaves && mode === 'split') {
        const entryByKey = new Map(
          unique.map((op, i) => [`${op.request.petitionId}\n${op.request.signerKey}`, leaves.entries[i]]),
        );
        splitLeaves = [...confirmedLeaves];
        for (const a of result.inserted) {
          const entry = a.counted ? entryByKey.get(`${a.petition_id}\n${a.signer_key}`) : null;
          if (entry) splitLeaves.push({ petitionId: a.petition_id, agreementId: a.id, entry });
        }
      }
      for (const c of result.counts) {
        this.#profiles.set(c.petitionId, c.profile);
        deltas.push({ petitionId: c.petitionId, added: c.added, profile: c.profile });
      }
      if (this.#profiles.size > MAX_KNOWN_PROFILES) this.#profiles.clear(); // relearned by the next batches
      for (const a of result.inserted) {
        inserted.set(`${a.petition_id}\n${a.signer_key}`, { id: a.id, confirmed: a.counted });
        if (a.counted)
          counted.push({ agreementId: a.id, petitionId: a.petition_id, signerKey: a.signer_key });
      }
      // what follows from the new counts (threshold crossings, review): rare, in the same transaction
      for (const c of mode === 'careful' ? result.counts : []) {
        if (!c.after) continue;
        const effects = countEffects(
          { ...c.after, agreement_count: c.after.agreement_count - c.added },
          c.after.agreement_count,
          now,
          this.#options.rules,
        );
        if (effects) await writeCountEffects(trx, c.petitionId, effects);
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
        if (outcome.status === 'agreed') {
          const idx = leafIndices.get(row.id);
          if (idx !== undefined) outcome.leafIndex = idx;
          countedOutcomes.set(row.id, outcome);
        }
        settle.push(() => op.resolve(outcome));
      }
    }
    const existing = new Map<string, { id: string; confirmed: boolean }>();
    const lookups = missing.filter(
      (op) => !inserted.has(`${op.request.petitionId}\n${op.request.signerKey}`),
    );
    try {
      for (const row of await findAgreementsOf(
        trx,
        lookups.map((op) => op.request),
      )) {
        existing.set(`${row.petition_id}\n${row.signer_key}`, { id: row.id, confirmed: row.confirmed });
      }
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
      return { deltas, leaves: null };
    }
    for (const op of missing) {
      const key = `${op.request.petitionId}\n${op.request.signerKey}`;
      const fresh = inserted.get(key); // a repeat within this batch of a row it inserted
      const p = petitions.get(op.request.petitionId);
      // Whether the petition takes this agreement is decided BEFORE looking at earlier agreements, so the answer
      // never tells whether someone had signed a petition that is closed or not public.
      const takes =
        fresh !== undefined || (p !== undefined && takesAgreement(p, op.request.sponsor === true, now));
      const row = takes ? (fresh ?? existing.get(key)) : undefined;
      if (!row) {
        const error =
          agreementRefusal(p) === 'petition_not_open'
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
    if (mode === 'careful') await this.#options.effects.afterCounts(trx, written);
    if (splitLeaves) {
      for (const leaf of splitLeaves) {
        const outcome = countedOutcomes.get(leaf.agreementId);
        if (outcome) leafless.set(leaf.agreementId, outcome);
      }
    }
    return { deltas, leaves: splitLeaves };
  }

  /**
   * The batch statement's `counts` step for `mode` (see `CountsStep`).
   * @param petitionIds the batch's new agreements' petitions (single: their profiles are known, see `#modeFor`)
   */
  #countsStep(mode: Mode, petitionIds: string[]): CountsStep {
    if (mode !== 'single') return { mode };
    return {
      mode,
      thresholds: petitionIds.map((petitionId) => ({ petitionId, ...this.#thresholds(petitionId) })),
    };
  }
}

/** Outcomes of counted agreements by agreement id, whose `leafIndex` is filled in once known. */
type LeafOutcomes = Map<string, { leafIndex?: string }>;

/** How long a petition whose count needed the careful path starts its batches careful (ms). */
const CAREFUL_MS = 5_000;

/** Petitions whose profile the writer remembers before it forgets them all (they are relearned in split batches). */
const MAX_KNOWN_PROFILES = 100_000;
