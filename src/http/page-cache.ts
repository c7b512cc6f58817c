/**
 * Rendered pages of one app server, shared by everyone who opens the same petition at about the same time: during a
 * surge on one petition its page is read from the database and rendered a few times a second per variant (language,
 * signed in or not), not once per visitor.
 *
 * Freshness (ms; the clock is this process's monotonic `performance.now()` unless `now` is given):
 * - an entry lives at most `ttlMs` (default 1,000) — changes made by other app servers are seen within that;
 * - a count change committed by this process (`countsChanged`, from the agreement writer) retires the petition's
 *   entries as soon as they are `minAgeMs` old (default 100): a signer who reloads sees their own agreement, while a
 *   surge of thousands of agreements a second still costs at most ten renders a second per variant;
 * - a staff decision or answer (`invalidateAll`) retires every entry at once.
 * An entry's age counts from the start of its render (before its reads), so a change committed during the render
 * retires it. Concurrent requests for a missing entry share one render; a failed render is not kept.
 */
export class PageCache {
  readonly #entries = new Map<string, Entry>();
  /** When each petition's count last changed in this process (clock of `#now`). */
  readonly #changedAt = new Map<string, number>();
  #generation = 0;
  readonly #ttlMs: number;
  readonly #minAgeMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  /**
   * @param options.ttlMs longest life of a page (ms, default 1,000; 0 = no cache)
   * @param options.minAgeMs how long a page outlives a count change of its petition (ms, default 100)
   * @param options.maxEntries pages kept at most (default 5,000); beyond, the least recently rendered goes
   * @param options.now the clock (ms), default `performance.now`
   */
  constructor(options: { ttlMs?: number; minAgeMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 1_000;
    this.#minAgeMs = options.minAgeMs ?? 100;
    this.#maxEntries = options.maxEntries ?? 5_000;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * The page under `key` (which must name everything the HTML depends on besides the petition's data), rendered by
   * `render` when there is no fresh one. `ttlMs` 0 renders every time.
   * @param petitionId the petition the page shows (its count changes retire the entry)
   * @throws whatever `render` throws (to every request sharing that render)
   */
  get(key: string, petitionId: string, render: () => Promise<string>): Promise<string> {
    if (this.#ttlMs <= 0) return render();
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry && this.#fresh(entry, now)) return entry.html;
    // the map keeps insertion order: re-inserting moves a page to the end, and a full cache drops its oldest
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries)
      this.#entries.delete(this.#entries.keys().next().value as string);
    const html = render();
    const fresh: Entry = { html, petitionId, startedAt: now, generation: this.#generation };
    this.#entries.set(key, fresh);
    html.catch(() => {
      if (this.#entries.get(key) === fresh) this.#entries.delete(key);
    });
    return html;
  }

  /** Retires (after `minAgeMs`) the pages of petitions whose counts this process just changed. */
  countsChanged(petitionIds: Iterable<string>): void {
    if (this.#ttlMs <= 0) return;
    const now = this.#now();
    if (this.#changedAt.size >= this.#maxEntries * 4) this.#changedAt.clear();
    for (const id of petitionIds) this.#changedAt.set(id, now);
  }

  /** Retires every page at once (a moderation decision, an answer published: what pages show changed). */
  invalidateAll(): void {
    this.#generation++;
  }

  #fresh(entry: Entry, now: number): boolean {
    const age = now - entry.startedAt;
    if (entry.generation !== this.#generation || age >= this.#ttlMs) return false;
    const changed = this.#changedAt.get(entry.petitionId);
    return changed === undefined || changed < entry.startedAt || age < this.#minAgeMs;
  }
}

interface Entry {
  html: Promise<string>;
  petitionId: string;
  startedAt: number;
  generation: number;
}
