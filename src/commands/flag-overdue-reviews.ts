import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { reviewOverdueDecision } from '../domain/lifecycle.js';
import { applyReviewOverdue, lockReviewsPastTarget } from '../repositories/writes/lifecycle.js';
import { auditTransition } from './steps/scheduler-audit.js';

/**
 * Records, once per petition, when a petition in review breached its profile's review target (moderation settings,
 * else `defaultTargetDays`): `review_overdue_at` = review start + target, shown to staff in the queue and on the
 * dashboard. At most `limit` petitions, in ONE transaction, each with an audit entry.
 * @param defaultTargetDays the review target of profiles without moderation settings (days)
 * @param now the current instant (UTC)
 * @returns the ids flagged now
 */
export async function flagOverdueReviews(
  deps: { db: Kysely<Database>; defaultTargetDays: number },
  now: Date,
  limit = 200,
): Promise<string[]> {
  return deps.db.transaction().execute(async (trx) => {
    const flagged: string[] = [];
    for (const p of await lockReviewsPastTarget(trx, now, deps.defaultTargetDays, limit)) {
      const breachedAt = reviewOverdueDecision(
        { state: p.state, reviewStartedAt: p.review_started_at, reviewOverdueAt: p.review_overdue_at },
        p.target_days,
        now,
      );
      if (!breachedAt || !(await applyReviewOverdue(trx, p.id, breachedAt))) continue;
      await auditTransition(trx, now, p.id, 'petition.review_overdue', {
        after: { review_overdue_at: breachedAt.toISOString(), target_days: p.target_days },
      });
      flagged.push(p.id);
    }
    return flagged;
  });
}
