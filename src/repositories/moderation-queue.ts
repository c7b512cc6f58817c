import { sql } from 'kysely';
import {
  DEFAULT_REVIEW_NEAR_DAYS,
  DEFAULT_REVIEW_TARGET_DAYS,
  type QueueBucket,
  queueBucket,
} from '../domain/moderation.js';
import { REVIEWABLE_STATES } from '../domain/petition-states.js';
import type { Executor } from './petitions.js';

export interface QueueEntry {
  id: string;
  title: string;
  category: string | null;
  profile: string;
  /** When it reached review (UTC). */
  reviewStartedAt: Date;
  waitedMs: number;
  bucket: QueueBucket;
  /** Who holds it now (email), and until when; null when free or the check-out expired. */
  checkedOutBy: string | null;
  checkedOutUntil: Date | null;
  /** When the lifecycle scheduler recorded it past the review target (UTC), or null while within it. */
  reviewOverdueAt: Date | null;
}

/**
 * The moderation queue: petitions in review (`REVIEWABLE_STATES`), longest waiting first, each with its bucket
 * against the profile's review target (`moderation_settings`, default 10 days) and its live check-out.
 * @param now UTC instant the waiting times are measured to
 */
export async function reviewQueue(
  db: Executor,
  options: { now: Date; limit?: number },
): Promise<QueueEntry[]> {
  const rows = await db
    .selectFrom('petitions as p')
    .leftJoin('moderation_checkouts as c', (j) =>
      j.onRef('c.petition_id', '=', 'p.id').on('c.expires_at', '>', options.now),
    )
    .leftJoin('staff_accounts as s', 's.id', 'c.staff_id')
    .leftJoin('moderation_settings as m', 'm.profile', 'p.profile')
    .select([
      'p.id',
      'p.title',
      'p.category',
      'p.profile',
      sql<Date>`coalesce(p.review_started_at, p.updated_at)`.as('since'),
      's.email as holder',
      'c.expires_at as until',
      'm.review_target_days',
      'm.review_near_days',
      'p.review_overdue_at',
    ])
    .where('p.state', 'in', [...REVIEWABLE_STATES])
    .orderBy(sql`coalesce(p.review_started_at, p.updated_at)`)
    .orderBy('p.id')
    .limit(options.limit ?? 500)
    .execute();
  return rows.map((r) => {
    const since = new Date(r.since);
    const waitedMs = options.now.getTime() - since.getTime();
    return {
      id: r.id,
      title: r.title,
      category: r.category,
      profile: r.profile,
      reviewStartedAt: since,
      waitedMs,
      bucket: queueBucket(
        waitedMs,
        r.review_target_days ?? DEFAULT_REVIEW_TARGET_DAYS,
        r.review_near_days ?? DEFAULT_REVIEW_NEAR_DAYS,
      ),
      checkedOutBy: r.holder ?? null,
      checkedOutUntil: r.until ?? null,
      reviewOverdueAt: r.review_overdue_at ?? null,
    };
  });
}

/** The live check-out of a petition (holder's id and email, expiry), or null. */
export async function currentCheckout(db: Executor, petitionId: string, now: Date) {
  return (
    (await db
      .selectFrom('moderation_checkouts as c')
      .innerJoin('staff_accounts as s', 's.id', 'c.staff_id')
      .select(['c.staff_id', 's.email', 'c.expires_at'])
      .where('c.petition_id', '=', petitionId)
      .where('c.expires_at', '>', now)
      .executeTakeFirst()) ?? null
  );
}

/** Who holds the check-out of a petition (email and expiry), live or expired, or undefined when none is stored. */
export async function checkoutHolder(db: Executor, petitionId: string) {
  return db
    .selectFrom('moderation_checkouts as c')
    .innerJoin('staff_accounts as s', 's.id', 'c.staff_id')
    .select(['s.email', 'c.expires_at'])
    .where('c.petition_id', '=', petitionId)
    .executeTakeFirst();
}

/** The staff id holding a live check-out of a petition at `now`, or undefined. */
export async function liveCheckoutStaffId(
  db: Executor,
  petitionId: string,
  now: Date,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('moderation_checkouts')
    .select('staff_id')
    .where('petition_id', '=', petitionId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.staff_id;
}
