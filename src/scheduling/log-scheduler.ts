import type { Kysely } from 'kysely';
import { integrateLogs } from '../commands/integrate-logs.js';
import { publishHeadsCheckpoint } from '../commands/publish-heads.js';
import type { Database } from '../db/schema.js';
import { withSessionLock } from '../repositories/session-locks.js';
import type { IntegrationPass, PublishPass, WitnessEndpoint } from '../transparency/integrator.js';
import type { LogSigners } from '../transparency/log-signers.js';

/** The session advisory lock name the integrator and publisher run under (one holder per deployment). */
export const LOG_LOCK = 'cheongwon.transparency-log';

export interface LogSchedulerOptions {
  db: Kysely<Database>;
  /** 'pglite' is one process: no lock is taken. */
  kind: 'pglite' | 'postgres';
  signers: LogSigners;
  witnesses: readonly WitnessEndpoint[];
  /** The clock (UTC instants); tests pass one they move. */
  now: () => Date;
  log: (line: string) => void;
  /** Pause between integration passes (ms, default 250): an acknowledged agreement is signed within about that. */
  everyMs?: number;
  /** Pause between heads publications (ms, default 1,000). */
  publishEveryMs?: number;
  /** The witnesses' HTTP client (tests inject one). */
  post?: (url: string, body: string) => Promise<{ status: number; body: string }>;
}

/** What one pass did; null parts when another holder had the lock (nothing ran here). */
export interface LogPass {
  integrated: IntegrationPass | null;
  published: PublishPass | null;
}

/**
 * Runs the transparency log's integrator (every `everyMs`) and publisher (every `publishEveryMs`) in `serve` and
 * `cheongwon worker`, like the lifecycle scheduler. With PostgreSQL, any number of processes may run one: only the
 * holder of the session advisory lock `hashtext('cheongwon.transparency-log')` works, the others skip the pass
 * (and take over when it stops). A failed pass is logged and the next one retries. Timers do not keep the process
 * alive.
 */
export class LogScheduler {
  readonly #o: LogSchedulerOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<LogPass> | null = null;
  #stopped = true;
  #lastPublish = Number.NEGATIVE_INFINITY;
  readonly #witnessSizes = new Map<string, number>();
  /** Passes completed (for tests and logs). */
  passes = 0;

  constructor(options: LogSchedulerOptions) {
    this.#o = options;
  }

  /**
   * One pass at the clock's now: integrate, then publish when `publishEveryMs` passed since the last publication
   * (or `publish` is true). Concurrent calls share the pass in progress.
   * @throws the database's or a signer's error (what was stored before it stands)
   */
  runOnce(options: { publish?: boolean } = {}): Promise<LogPass> {
    if (this.#running) return this.#running;
    this.#running = this.#pass(options.publish === true).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #pass(forcePublish: boolean): Promise<LogPass> {
    const result: LogPass = { integrated: null, published: null };
    const work = async (db: Kysely<Database>) => {
      const now = this.#o.now();
      result.integrated = await integrateLogs(db, this.#o.signers, now);
      const due = now.getTime() - this.#lastPublish >= (this.#o.publishEveryMs ?? 1_000);
      if (forcePublish || due) {
        this.#lastPublish = now.getTime();
        result.published = await publishHeadsCheckpoint(
          db,
          this.#o.signers,
          this.#o.witnesses,
          this.#witnessSizes,
          now,
          this.#o.post,
        );
        for (const r of result.published.refusals)
          this.#o.log(`transparency log: witness ${r.witness} did not cosign: ${r.reason}`);
      }
    };
    if (this.#o.kind === 'pglite') await work(this.#o.db);
    else await withSessionLock(this.#o.db, LOG_LOCK, work);
    this.passes++;
    return result;
  }

  /** Starts the passes (the first at once). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.runOnce()
        .catch((error: unknown) =>
          this.#o.log(
            `transparency log pass failed (retried): ${error instanceof Error ? error.message : error}`,
          ),
        )
        .finally(() => this.#schedule(this.#o.everyMs ?? 250));
    }, ms);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
  }
}
