import type { Executor } from './petitions.js';
import { fanoutProgress, notificationTotals } from './responses.js';

/**
 * Petitions whose official response is awaited (response state 'awaiting'), soonest due first (no due date last),
 * then by number; at most `limit`.
 */
export async function petitionsAwaitingResponse(db: Executor, limit = 200) {
  return db
    .selectFrom('petitions')
    .select(['id', 'title', 'profile', 'response_threshold_reached_at', 'response_due_at'])
    .where('response_state', '=', 'awaiting')
    .orderBy('response_due_at', (ob) => ob.asc().nullsLast())
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * What the responders' list shows: up to 200 petitions awaiting a response (`petitionsAwaitingResponse`), the
 * progress of the 20 latest notification fan-outs and the outbox and delivery totals by state.
 */
export async function responsesDueOverview(db: Executor) {
  const [petitions, fanouts, totals] = await Promise.all([
    petitionsAwaitingResponse(db, 200),
    fanoutProgress(db, 20),
    notificationTotals(db),
  ]);
  return { petitions, fanouts, totals };
}
