import { fanoutProgress, notificationTotals } from './notifications.js';
import type { Executor } from './petitions.js';
import { listResponsesDue } from './responses.js';

/**
 * What the responders' list shows: up to 200 petitions owed a response (`listResponsesDue`: awaiting and overdue,
 * nearest deadline first), the progress of the 20 latest notification fan-outs and the outbox and delivery totals
 * by state.
 */
export async function responsesDueOverview(db: Executor) {
  const [petitions, fanouts, totals] = await Promise.all([
    listResponsesDue(db, 200),
    fanoutProgress(db, 20),
    notificationTotals(db),
  ]);
  return { petitions, fanouts, totals };
}
