import { SharedCache } from './shared-cache.js';

/**
 * Rendered pages of one app server, shared by everyone who opens the same petition at about the same time: during a
 * surge on one petition its page is read from the database and rendered a few times a second per variant (language,
 * signed in or not), not once per visitor. Built on `SharedCache` (one render per miss, failures not kept, bounded).
 *
 * Freshness (ms; the clock is this process's monotonic `performance.now()` unless `now` is given):
 * - a page lives at most `ttlMs` (default 1,000) — changes made by other app servers are seen within that;
 * - a count change committed by this process (`countsChanged`, from the agreement writer) retires the petition's
 *   pages as soon as they are `minAgeMs` old (default 100): a signer who reloads sees their own agreement, while a
 *   surge of thousands of agreements a second still costs at most ten renders a second per variant;
 * - a staff decision or answer (`invalidateAll`) retires every page at once.
 * A page's age counts from the start of its render (before its reads), so a change committed during the render
 * retires it.
 */
export class PageCache {
  readonly #pages: SharedCache<string>;
  /** When each petition's count last changed in this process (clock of `#now`). */
  readonly #changedAt = new Map<string, number>();
  readonly #minAgeMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #off: boolean;

  /**
   * @param options.ttlMs longest life of a page (ms, default 1,000; 0 = no cache)
   * @param options.minAgeMs how long a page outlives a count change of its petition (ms, default 100)
   * @param options.maxEntries pages kept at most (default 5,000); beyond, the least recently rendered goes
   * @param options.now the clock (ms), default `performance.now`
   */
  constructor(options: { ttlMs?: number; minAgeMs?: number; maxEntries?: number; now?: () => number } = {}) {
    const ttlMs = options.ttlMs ?? 1_000;
    this.#off = ttlMs <= 0;
    this.#minAgeMs = options.minAgeMs ?? 100;
    this.#maxEntries = options.maxEntries ?? 5_000;
    this.#now = options.now ?? (() => performance.now());
    this.#pages = new SharedCache({ ttlMs, maxEntries: this.#maxEntries, now: this.#now });
  }

  /**
   * The page under `key` (which must name everything the HTML depends on besides the petition's data), rendered by
   * `render` when there is no fresh one.
   * @param petitionId the petition the page shows (its count changes retire the page)
   * @throws whatever `render` throws (to every request sharing that render)
   */
  get(key: string, petitionId: string, render: () => Promise<string>): Promise<string> {
    return this.#pages.get(key, render, (startedAt, now) => {
      const changed = this.#changedAt.get(petitionId);
      return changed === undefined || changed < startedAt || now - startedAt < this.#minAgeMs;
    });
  }

  /** Retires (after `minAgeMs`) the pages of petitions whose counts this process just changed. */
  countsChanged(petitionIds: Iterable<string>): void {
    if (this.#off) return;
    const now = this.#now();
    if (this.#changedAt.size >= this.#maxEntries * 4) this.#changedAt.clear();
    for (const id of petitionIds) this.#changedAt.set(id, now);
  }

  /** Retires every page at once (a moderation decision, an answer published: what pages show changed). */
  invalidateAll(): void {
    this.#pages.clear();
  }
}
