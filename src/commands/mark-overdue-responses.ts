import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { overdueDecision } from '../domain/lifecycle.js';
import { applyOverdue, lockResponsesPastDue } from '../repositories/writes/lifecycle.js';
import { auditTransition } from './steps/scheduler-audit.js';

/**
 * Marks `overdue` the owed answers whose deadline has come (`overdueDecision`, src/domain/lifecycle.ts), at most
 * `limit` of them, in ONE transaction, each with an audit entry. The answer stays owed: publishing it later moves
 * the petition to `answered` (shown as late).
 * @param now the current instant (UTC)
 * @returns the ids marked now
 */
export async function markOverdueResponses(
  deps: { db: Kysely<Database> },
  now: Date,
  limit = 200,
): Promise<string[]> {
  return deps.db.transaction().execute(async (trx) => {
    const marked: string[] = [];
    for (const p of await lockResponsesPastDue(trx, now, limit)) {
      const decision = overdueDecision(
        { responseState: p.response_state, responseDueAt: p.response_due_at },
        now,
      );
      if (!decision || !(await applyOverdue(trx, p.id, now))) continue;
      await auditTransition(trx, now, p.id, 'response.overdue', {
        before: { response_state: p.response_state },
        after: { response_state: decision, response_due_at: p.response_due_at?.toISOString() ?? null },
      });
      marked.push(p.id);
    }
    return marked;
  });
}
