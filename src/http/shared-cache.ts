/**
 * Answers shared by every request of one app server. A key's value is computed at most once per `ttlMs`, however
 * many requests ask at once (concurrent misses share one computation); a failed computation is not kept, so the
 * next request tries again; at most `maxEntries` keys are kept, the least recently computed dropped first, so
 * requests for random keys cannot grow it without bound. Used for the count endpoint, petition pages, agreement
 * series and the statistics page.
 */
export class SharedCache<V> {
  readonly #entries = new Map<string, { value: Promise<V>; startedAt: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  /**
   * @param options.ttlMs longest life of a value (ms, counted from the start of its computation); 0 = compute every
   *   time
   * @param options.maxEntries keys kept at most (default 10,000)
   * @param options.now the clock (ms; default `performance.now`)
   */
  constructor(options: { ttlMs: number; maxEntries?: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * The value of `key`: a fresh one kept, else `compute()`'s (kept for the next requests).
   * @param fresh a further condition a kept value must meet to be served, given when its computation started and
   *   now (ms, this cache's clock) — e.g. that nothing it shows changed since
   * @throws whatever `compute` throws (to every request sharing that computation)
   */
  get(
    key: string,
    compute: () => Promise<V>,
    fresh?: (startedAt: number, now: number) => boolean,
  ): Promise<V> {
    if (this.#ttlMs <= 0) return compute();
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.startedAt < this.#ttlMs && (fresh?.(hit.startedAt, now) ?? true)) return hit.value;
    // the map keeps insertion order: re-inserting moves a key to the end, and a full cache drops its oldest
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries)
      this.#entries.delete(this.#entries.keys().next().value as string);
    const value = compute();
    const entry = { value, startedAt: now };
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return value;
  }

  /** Forgets every value (the next requests compute anew). */
  clear(): void {
    this.#entries.clear();
  }
}
