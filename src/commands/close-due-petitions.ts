import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CountRules } from '../domain/count-effects.js';
import { closeDecision } from '../domain/lifecycle.js';
import { applyClose, lockPetitionsDueToClose } from '../repositories/writes/lifecycle.js';
import { recordClose } from './steps/record-close.js';

/**
 * Closes the open petitions whose deadline has come — at most `limit` of them, in ONE transaction — with
 * `closed_at` = the deadline (`closeDecision`, src/domain/lifecycle.ts). In the same transaction each close:
 * fixes the answer deadline where it runs from the close (Blue House: 30 days after), keeps a threshold reached in
 * time and its answer duty, queues the creator's mail (`creator.closed`, once per petition) and appends an audit
 * entry. Safe with several schedulers on one database: candidates are locked SKIP LOCKED and closed only while
 * still open.
 * @param now the current instant (UTC); a scheduler that was down closes with the deadline, not `now`
 * @param limit most petitions closed by this call (default 200); call again while it returns `limit` ids
 * @returns the ids closed now, oldest deadline first
 */
export async function closeDuePetitions(
  deps: { db: Kysely<Database>; rules: CountRules },
  now: Date,
  limit = 200,
): Promise<string[]> {
  return deps.db.transaction().execute(async (trx) => {
    const closed: string[] = [];
    for (const p of await lockPetitionsDueToClose(trx, now, limit)) {
      const settings = deps.rules.settingsFor(p.profile);
      const changes = closeDecision(
        {
          state: p.state,
          closesAt: p.closes_at,
          closedAt: p.closed_at,
          responseState: p.response_state,
          responseThresholdReachedAt: p.response_threshold_reached_at,
        },
        settings,
        deps.rules.timeZoneFor(p.profile),
        now,
      );
      if (!changes) continue;
      const update =
        changes.responseDueAt !== undefined
          ? { closedAt: changes.closedAt, responseDueAt: changes.responseDueAt }
          : { closedAt: changes.closedAt };
      if (!(await applyClose(trx, p.id, update, now))) continue;
      await recordClose(trx, p, settings, changes.closedAt, now);
      closed.push(p.id);
    }
    return closed;
  });
}
