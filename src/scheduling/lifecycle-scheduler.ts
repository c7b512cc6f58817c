import type { Kysely } from 'kysely';
import { closeDuePetitions } from '../commands/close-due-petitions.js';
import { markUnansweredTakedowns } from '../commands/desk/mark-unanswered-takedowns.js';
import { purgeDeskRecords } from '../commands/desk/purge-desk-records.js';
import { flagOverdueReviews } from '../commands/flag-overdue-reviews.js';
import { lapseExpiredCollections } from '../commands/lapse-expired-collections.js';
import { markOverdueResponses } from '../commands/mark-overdue-responses.js';
import type { Database } from '../db/schema.js';
import type { CountRules } from '../domain/count-effects.js';
import { nextLifecycleInstant } from '../repositories/lifecycle.js';

/** What one pass did: the petitions each transition moved (ids). */
export interface LifecyclePass {
  closed: string[];
  lapsed: string[];
  overdue: string[];
  reviewsOverdue: string[];
  /** Response desk: takedowns whose legal deadline passed without an answer (ids). */
  takedownsUnanswered: string[];
  /** Response desk: cases deleted at the end of their 3-year retention (ids). */
  deskCasesPurged: string[];
}

/** Told, after each pass that changed something, which petitions changed (e.g. to retire their cached pages). */
export interface LifecycleListener {
  petitionsChanged(petitionIds: string[]): void;
}

export interface LifecycleSchedulerOptions {
  db: Kysely<Database>;
  /** Each profile's effective settings and zone (the runtime settings). */
  rules: CountRules;
  /** The clock (UTC instants); tests pass one they move. */
  now: () => Date;
  /** The review target of profiles without moderation settings (days). */
  defaultReviewTargetDays: number;
  listener: LifecycleListener;
  log: (line: string) => void;
  /**
   * Longest sleep between passes (ms, default 30,000): the scheduler wakes at the next deadline it knows of, and
   * at least this often to see petitions other servers opened, windows and review targets (day-scale) and settings
   * changes.
   */
  maxSleepMs?: number;
  /** Petitions moved per transaction (default 200); a pass repeats a transition until it moves fewer. */
  batchSize?: number;
}

/**
 * The lifecycle that runs by itself: every time-driven transition of every profile (close at the deadline, lapse
 * of an expired pre-agreement window, answers overdue, review targets breached; the response desk's takedowns past
 * their legal deadline and records past their retention), applied by one command each
 * (src/commands/), in passes.
 *
 * `serve` runs one, and so does `cheongwon worker` for deployments that run it apart; several may run against
 * one PostgreSQL at once (each transition locks its candidates SKIP LOCKED and changes a petition only while it is
 * still in the state the transition starts from, so each is recorded exactly once). `runOnce()` is called before
 * a server listens, so a server that was down across a deadline closes the petition — with `closed_at` = the
 * deadline — before it serves it.
 *
 * Between passes it sleeps until the next deadline it knows of (`nextLifecycleInstant`), at most `maxSleepMs`;
 * `wake()` starts a pass now. A failed pass is logged and retried after the sleep. Timers do not keep the process
 * alive.
 */
export class LifecycleScheduler {
  readonly #o: LifecycleSchedulerOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<LifecyclePass> | null = null;
  #stopped = true;
  /** Passes completed since start (for tests and logs). */
  passes = 0;

  constructor(options: LifecycleSchedulerOptions) {
    this.#o = options;
  }

  /**
   * One pass at the clock's `now`: each transition until it has nothing more to move. Concurrent calls share
   * the pass in progress.
   * @returns what it moved
   * @throws the database's error (nothing of the failed transaction was stored; earlier transactions stand)
   */
  runOnce(): Promise<LifecyclePass> {
    if (this.#running) return this.#running;
    this.#running = this.#pass().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Starts the loop: a pass now, then one at each next deadline (at most `maxSleepMs` apart). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /**
   * Runs a pass that starts now, after any pass in progress (which read an earlier clock), then goes back to
   * sleeping until the next deadline.
   */
  async wake(): Promise<LifecyclePass> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
    return this.#loop();
  }

  /** Stops the loop and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
  }

  /**
   * How long to sleep after a pass (ms): until the next deadline `next` (plus 1 ms: deadlines are exclusive
   * instants, so the pass must run at or after them), at most `maxSleepMs`, at least 0.
   */
  sleepFor(now: Date, next: Date | null): number {
    const max = this.#o.maxSleepMs ?? 30_000;
    if (next === null) return max;
    return Math.max(0, Math.min(max, next.getTime() - now.getTime() + 1));
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#loop();
    }, ms);
    this.#timer.unref();
  }

  async #loop(): Promise<LifecyclePass> {
    let pass: LifecyclePass = {
      closed: [],
      lapsed: [],
      overdue: [],
      reviewsOverdue: [],
      takedownsUnanswered: [],
      deskCasesPurged: [],
    };
    let sleep = this.#o.maxSleepMs ?? 30_000;
    try {
      pass = await this.runOnce();
      const now = this.#o.now();
      sleep = this.sleepFor(now, await nextLifecycleInstant(this.#o.db, now));
    } catch (error) {
      this.#o.log(
        `lifecycle pass failed (retried in ${Math.round(sleep / 1000)} s): ${error instanceof Error ? error.message : error}`,
      );
    }
    this.#schedule(sleep);
    return pass;
  }

  async #pass(): Promise<LifecyclePass> {
    const now = this.#o.now();
    const size = this.#o.batchSize ?? 200;
    const drain = async (step: () => Promise<string[]>): Promise<string[]> => {
      const all: string[] = [];
      for (;;) {
        const moved = await step();
        all.push(...moved);
        if (moved.length < size) return all;
      }
    };
    const deps = { db: this.#o.db, rules: this.#o.rules };
    const pass: LifecyclePass = {
      closed: await drain(() => closeDuePetitions(deps, now, size)),
      lapsed: await drain(() => lapseExpiredCollections(deps, now, size)),
      overdue: await drain(() => markOverdueResponses(deps, now, size)),
      reviewsOverdue: await drain(() =>
        flagOverdueReviews({ db: this.#o.db, defaultTargetDays: this.#o.defaultReviewTargetDays }, now, size),
      ),
      takedownsUnanswered: await drain(() => markUnansweredTakedowns(this.#o.db, now, size)),
      deskCasesPurged: await drain(async () => (await purgeDeskRecords(this.#o.db, now, size)).cases),
    };
    this.passes++;
    const changed = [...pass.closed, ...pass.lapsed, ...pass.overdue];
    if (changed.length > 0) this.#o.listener.petitionsChanged(changed);
    if (pass.takedownsUnanswered.length > 0 || pass.deskCasesPurged.length > 0) {
      this.#o.log(
        `desk: takedowns unanswered ${pass.takedownsUnanswered.length}, cases purged after retention ${pass.deskCasesPurged.length}`,
      );
    }
    if (changed.length > 0 || pass.reviewsOverdue.length > 0) {
      this.#o.log(
        `lifecycle: closed ${pass.closed.length}, lapsed ${pass.lapsed.length}, answers overdue ${pass.overdue.length}` +
          (pass.reviewsOverdue.length > 0 ? `, reviews past target ${pass.reviewsOverdue.length}` : ''),
      );
    }
    return pass;
  }
}
