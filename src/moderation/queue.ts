import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { REVIEWABLE_STATES } from '../domain/petition-states.js';

/** How long a check-out holds a petition for one moderator (minutes); after that anyone may take it. */
export const CHECKOUT_MINUTES = 30;

/** Default review target (days in the queue) and how many days before it a petition counts as "near". */
export const DEFAULT_REVIEW_TARGET_DAYS = 10;
export const DEFAULT_REVIEW_NEAR_DAYS = 3;

export type QueueBucket = 'within' | 'near' | 'over';

export const QUEUE_BUCKET_LABELS: Record<QueueBucket, string> = {
  within: '목표 안',
  near: '목표 임박',
  over: '목표 초과',
};

/**
 * Which bucket a petition waiting `waitedMs` falls in against the review target: 'over' from `targetDays`,
 * 'near' from `targetDays - nearDays`, 'within' before. Days are 24-hour spans (86,400,000 ms), not calendar days.
 */
export function queueBucket(waitedMs: number, targetDays: number, nearDays: number): QueueBucket {
  const days = waitedMs / 86_400_000;
  if (days >= targetDays) return 'over';
  if (days >= targetDays - nearDays) return 'near';
  return 'within';
}

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
}

/**
 * The moderation queue: petitions in review (`REVIEWABLE_STATES`), longest waiting first, each with its bucket
 * against the profile's review target (`moderation_settings`, default 10 days) and its live check-out.
 * @param now UTC instant the waiting times are measured to
 */
export async function reviewQueue(
  db: Kysely<Database>,
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
    };
  });
}

/**
 * Checks a petition out to a moderator for `CHECKOUT_MINUTES`, so two moderators never decide it at once. Taking
 * one's own check-out again extends it; an expired check-out of someone else is taken over. Atomic on both
 * engines (one INSERT … ON CONFLICT DO UPDATE … WHERE).
 * @param now UTC instant; the check-out holds until now + 30 min
 * @returns when the check-out ends
 * @throws DomainError('petition_not_found'); DomainError('checked_out_elsewhere') with `{ holder, until }` when
 *   another moderator holds it
 */
export async function checkOut(
  db: Kysely<Database>,
  options: { petitionId: string; staffId: string; now: Date },
): Promise<{ expiresAt: Date }> {
  const petition = await db
    .selectFrom('petitions')
    .select('id')
    .where('id', '=', options.petitionId)
    .executeTakeFirst();
  if (!petition)
    throw new DomainError('petition_not_found', `${options.petitionId}번 청원을 찾을 수 없습니다.`);
  const expiresAt = new Date(options.now.getTime() + CHECKOUT_MINUTES * 60_000);
  const taken = await db
    .insertInto('moderation_checkouts')
    .values({
      petition_id: options.petitionId,
      staff_id: options.staffId,
      checked_out_at: options.now,
      expires_at: expiresAt,
    })
    .onConflict((oc) =>
      oc
        .column('petition_id')
        .doUpdateSet({ staff_id: options.staffId, checked_out_at: options.now, expires_at: expiresAt })
        .where((eb) =>
          eb.or([
            eb('moderation_checkouts.expires_at', '<=', options.now),
            eb('moderation_checkouts.staff_id', '=', options.staffId),
          ]),
        ),
    )
    .returning('expires_at')
    .executeTakeFirst();
  if (taken) return { expiresAt: taken.expires_at };
  const holder = await db
    .selectFrom('moderation_checkouts as c')
    .innerJoin('staff_accounts as s', 's.id', 'c.staff_id')
    .select(['s.email', 'c.expires_at'])
    .where('c.petition_id', '=', options.petitionId)
    .executeTakeFirst();
  throw new DomainError(
    'checked_out_elsewhere',
    `다른 검토자(${holder?.email ?? '알 수 없음'})가 이 청원을 검토하고 있습니다` +
      (holder ? ` (${holder.expires_at.toISOString()}까지).` : '.'),
    { holder: holder?.email ?? null, until: holder?.expires_at.toISOString() ?? null },
  );
}

/** Gives a check-out back (only one's own; anything else changes nothing). */
export async function releaseCheckout(
  db: Kysely<Database>,
  options: { petitionId: string; staffId: string },
): Promise<void> {
  await db
    .deleteFrom('moderation_checkouts')
    .where('petition_id', '=', options.petitionId)
    .where('staff_id', '=', options.staffId)
    .execute();
}

/** The live check-out of a petition (holder's id and email, expiry), or null. */
export async function currentCheckout(db: Kysely<Database>, petitionId: string, now: Date) {
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
