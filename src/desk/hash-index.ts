import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type PdqMatch, PdqMatchIndex } from '../domain/pdq/match-index.js';
import { hashChangesAfter } from '../repositories/desk.js';

/**
 * The desk's matching index in this process: every active PDQ hash of every bank in helper/14-pdq's multi-index
 * matcher (`PdqMatchIndex`), and MD5s in a map — loaded from the database and kept current by reading the hash
 * change feed (`desk_hash_change_seq`) from where it last stopped, the same feed platforms fetch. Any number of app
 * servers keep their own copy; a lookup refreshes first when the copy is older than `maxAgeMs` or when this process
 * changed hashes (`invalidate`). The index only proposes candidates: the lookup command re-reads each candidate's
 * state and bank from the database, so a copy a moment behind never answers a withdrawn hash.
 */
export class DeskHashIndex {
  readonly #db: Kysely<Database>;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #pdq = new PdqMatchIndex();
  #md5 = new Map<string, Set<number>>();
  #md5Of = new Map<number, string>();
  #seq = '0';
  #loadedAt = Number.NEGATIVE_INFINITY;
  #dirty = true;
  #refreshing: Promise<void> | null = null;

  /**
   * @param options.maxAgeMs how stale the copy may be before a lookup refreshes it (ms, default 1,000)
   * @param options.now the clock for that age (ms; default Date.now)
   */
  constructor(db: Kysely<Database>, options: { maxAgeMs?: number; now?: () => number } = {}) {
    this.#db = db;
    this.#maxAgeMs = options.maxAgeMs ?? 1_000;
    this.#now = options.now ?? Date.now;
  }

  /** Marks the copy stale (this process changed hashes): the next lookup reads the feed first. */
  invalidate(): void {
    this.#dirty = true;
  }

  /** Reads the change feed now if the copy is stale; concurrent callers share one read. */
  async fresh(): Promise<void> {
    if (!this.#dirty && this.#now() - this.#loadedAt < this.#maxAgeMs) return;
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    await this.#refreshing;
  }

  async #refresh(): Promise<void> {
    const first = this.#seq === '0';
    this.#dirty = false;
    const started = this.#now();
    // first load: collect, then build at once (a row changed while paging shows up again later: last one wins)
    const bulk = new Map<number, string>();
    for (;;) {
      const page = await hashChangesAfter(this.#db, this.#seq, 10_000);
      for (const e of page) {
        const id = Number(e.id);
        if (e.algorithm === 'pdq') {
          if (first) {
            if (e.state === 'active') bulk.set(id, e.hash);
            else bulk.delete(id);
          } else {
            this.#pdq.deactivate(id);
            if (e.state === 'active') this.#pdq.add(e.hash, id);
          }
        } else {
          this.#md5Remove(id);
          if (e.state === 'active') {
            const set = this.#md5.get(e.hash) ?? new Set<number>();
            this.#md5.set(e.hash, set);
            set.add(id);
            this.#md5Of.set(id, e.hash);
          }
        }
        this.#seq = e.change_seq;
      }
      if (page.length < 10_000) break;
    }
    if (first && bulk.size > 0) this.#pdq.load([...bulk.values()], [...bulk.keys()]);
    this.#loadedAt = started;
  }

  #md5Remove(id: number): void {
    const hash = this.#md5Of.get(id);
    if (hash === undefined) return;
    this.#md5Of.delete(id);
    const set = this.#md5.get(hash);
    set?.delete(id);
    if (set?.size === 0) this.#md5.delete(hash);
  }

  /** PDQ candidates within `radius` bits of any of `queries` (an image's dihedral set), nearest per hash id. */
  pdqCandidates(queries: readonly string[], radius: number): PdqMatch[] {
    return this.#pdq.lookupAny(queries, radius);
  }

  /** Ids of active MD5 hashes equal to `hash`. */
  md5Candidates(hash: string): number[] {
    return [...(this.#md5.get(hash) ?? [])];
  }

  /** Active hashes held (PDQ and MD5). */
  size(): { pdq: number; md5: number } {
    return { pdq: this.#pdq.stats().active, md5: this.#md5Of.size };
  }
}
