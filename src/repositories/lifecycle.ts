import { sql } from 'kysely';
import { OVERDUE_FROM, TRANSITION_FROM } from '../domain/lifecycle.js';
import type { Executor } from './petitions.js';

/**
 * The next instant after `now` at which a petition closes or an owed answer falls due, or null when none is
 * ahead: the scheduler sleeps until then (capped), so a deadline is acted on when it comes, not a poll later.
 * Served by the partial indexes of migration 2026-12-04T1900.
 */
export async function nextLifecycleInstant(db: Executor, now: Date): Promise<Date | null> {
  const at = now.toISOString();
  const row = await sql<{ next: Date | string | null }>`
    select least(
      (select min(closes_at) from petitions where state = ${TRANSITION_FROM.close} and closes_at > ${at}::timestamptz),
      (select min(response_due_at) from petitions
        where response_state = ${OVERDUE_FROM} and response_due_at > ${at}::timestamptz)) as next`.execute(
    db,
  );
  const next = row.rows[0]?.next ?? null;
  return next === null ? null : new Date(next);
}
