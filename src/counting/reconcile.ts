import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CountRules } from '../domain/count-effects.js';
import { CountRule } from '../domain/tlog/entries.js';
import { type CountDrift, findCountDrift, listLoggedPetitions } from '../repositories/counts.js';
import { readLogEntries } from '../repositories/transparency-log.js';
import { writeCount } from '../repositories/writes/agreement-batches.js';
import { lockForRecount } from '../repositories/writes/recount.js';

export type { CountDrift } from '../repositories/counts.js';

/**
 * Recounts every petition's agreements from its rows and reports where the stored count differs (the drift).
 * With `fix`, each drifting petition is locked and set to its recount through `writeCount` — so a threshold whose
 * count falls back below it is undone, as the rules require — and `effects`, when given, writes what follows in the
 * same transaction (the CLI queues the threshold mail: a count raised across a threshold by a fix is a crossing
 * like any other). After every test the drift is empty.
 * Archived totals (imported, no rows) are not part of the recount.
 * @returns the petitions whose count drifted (before any fix), ordered by id
 */
export async function reconcileCounts(
  db: Kysely<Database>,
  options: {
    fix?: boolean;
    now?: Date;
    effects?: (trx: Transaction<Database>, petitionIds: string[], now: Date) => Promise<void>;
  } & CountRules,
): Promise<CountDrift[]> {
  const drift = await findCountDrift(db);
  if (options.fix) {
    for (const d of drift) {
      await db.transaction().execute(async (trx) => {
        const { petition, confirmed } = await lockForRecount(trx, d.petitionId);
        const now = options.now ?? new Date();
        await writeCount(trx, petition, confirmed, now, options);
        await options.effects?.(trx, [d.petitionId], now);
      });
    }
  }
  return drift;
}

/** How a petition's transparency log disagrees with its rows and its stored count (see `reconcileLogs`). */
export interface LogDrift {
  petitionId: string;
  /** `petitions.log_size`. */
  logSize: number;
  /** Stored entries, and one past the highest index (a gap when they differ). */
  entries: number;
  span: number;
  /** The count derived from the entries alone (agreements − invalidated + reinstated). */
  derived: number;
  /** The stored count and the confirmed rows. */
  stored: number;
  rows: number;
  /** Confirmed agreements without a leaf, and leaves without a confirmed agreement of this petition. */
  leafless: number;
  strayLeaves: number;
  /** Breaches of the count rule found in the entries (duplicate tags, bad references, …), as sentences. */
  problems: string[];
}

/** Entries read per query while deriving a count (memory stays bounded on a national-size petition). */
const ENTRY_CHUNK = 50_000;

/**
 * Checks every petition's transparency log against its rows and stored count and reports the drift: `log_size`
 * against the stored entries (no gap), the count derived from the entries alone by the count rule
 * (src/domain/tlog/entries.ts `CountRule`) against the stored count, every confirmed agreement against its leaf
 * and every leaf against its agreement. Reports only; a log is append-only and is never "fixed" by rewriting.
 * @returns the petitions whose log drifted, ordered by id ([] when every log agrees)
 */
export async function reconcileLogs(db: Kysely<Database>): Promise<LogDrift[]> {
  const drift: LogDrift[] = [];
  for (const p of await listLoggedPetitions(db)) {
    const rule = new CountRule();
    for (let from = 0; from < p.span; from += ENTRY_CHUNK) {
      for (const e of await readLogEntries(db, p.petitionId, from, Math.min(p.span, from + ENTRY_CHUNK)))
        rule.add(e.entry);
    }
    const derived = rule.result();
    const d: LogDrift = {
      ...p,
      derived: derived.count,
      problems: derived.problems.map((x) => x.message),
    };
    if (
      p.logSize !== p.entries ||
      p.span !== p.entries ||
      derived.count !== p.stored ||
      p.leafless > 0 ||
      p.strayLeaves > 0 ||
      d.problems.length > 0
    )
      drift.push(d);
  }
  return drift;
}
