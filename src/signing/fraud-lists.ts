import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type ListEntry, listDecision } from '../domain/fraud.js';
import { listLiveFraudEntries } from '../repositories/fraud-signals.js';

/** What the signing commands ask of the block / allow lists. */
export interface FraudListCheck {
  /** 'block' refuses the agreement; 'allow' and 'none' let it through (src/domain/fraud.ts `listDecision`). */
  decide(fact: { prefix: string | null; domain: string | null }): Promise<'allow' | 'block' | 'none'>;
}

/**
 * The lists as the signing path reads them: the live entries, re-read at most every `ttlMs` (default 2 000 ms) so
 * the hot path does not query them per agreement, and at once in the process that edited them (`refresh`). An edit
 * made on another app server takes effect there within `ttlMs`.
 */
export class FraudLists implements FraudListCheck {
  private entries: ListEntry[] = [];
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = 2_000,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** Forgets the cached entries: the next decision reads the table. */
  refresh(): void {
    this.loadedAt = Number.NEGATIVE_INFINITY;
  }

  async decide(fact: { prefix: string | null; domain: string | null }): Promise<'allow' | 'block' | 'none'> {
    if (this.clock() - this.loadedAt > this.ttlMs) {
      this.loading ??= listLiveFraudEntries(this.db)
        .then((rows) => {
          this.entries = rows.map(({ kind, value, action }) => ({ kind, value, action }));
          this.loadedAt = this.clock();
        })
        .finally(() => {
          this.loading = null;
        });
      await this.loading;
    }
    return this.entries.length === 0 ? 'none' : listDecision(this.entries, fact);
  }
}
