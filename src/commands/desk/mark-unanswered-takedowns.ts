import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isUnanswered } from '../../domain/desk/takedowns.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { lockTakedownsPastDeadline, updateTakedown } from '../../repositories/writes/desk.js';
import { SCHEDULER_ACTOR } from '../steps/scheduler-audit.js';

/**
 * The scheduler's desk transition: a sent or acknowledged takedown whose legal deadline (`due_at`, after any
 * extension) has come without an answer becomes `unanswered` — on the queue's top, ready to escalate. Candidates
 * are locked SKIP LOCKED; the domain (`isUnanswered`) decides; each is recorded once, audited by the scheduler.
 * @returns the ids moved (at most `limit`)
 */
export async function markUnansweredTakedowns(
  db: Kysely<Database>,
  now: Date,
  limit: number,
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await lockTakedownsPastDeadline(trx, now, limit);
    const moved: string[] = [];
    for (const r of rows) {
      if (!isUnanswered({ state: r.state, dueAt: r.due_at }, now)) continue;
      await updateTakedown(trx, r.id, { state: 'unanswered', resolved_at: r.due_at }, now);
      await appendAudit(trx, {
        at: now,
        staffId: null,
        actor: SCHEDULER_ACTOR,
        action: 'desk.takedown.unanswered',
        subjectType: 'desk_takedown',
        subjectId: r.id,
        before: { state: r.state, dueAt: r.due_at },
        after: { state: 'unanswered' },
      });
      moved.push(r.id);
    }
    return moved;
  });
}
