import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { OVERDUE_FROM, TRANSITION_FROM } from '../../domain/lifecycle.js';
import type { ResponseState } from '../../domain/petition-states.js';

/**
 * The scheduler's writes: each `lock…` selects up to `limit` candidates of one time-driven transition and locks
 * them `FOR UPDATE SKIP LOCKED`, so several schedulers (app servers and workers on one PostgreSQL) share the work
 * without waiting on each other or taking the same petition twice; each `apply…` changes one locked petition only
 * if it is still in the state the transition starts from, so a transition is recorded exactly once. Candidates are
 * a superset: the domain (src/domain/lifecycle.ts) decides exactly. All run in the caller's transaction.
 */

/** A petition that may be due to close (state `open`, deadline come). Instants UTC. */
export interface CloseCandidate {
  id: string;
  profile: string;
  state: 'open';
  closes_at: Date | null;
  closed_at: Date | null;
  response_state: ResponseState;
  response_threshold_reached_at: Date | null;
  agreement_count: number;
  response_threshold: number | null;
  debate_threshold: number | null;
}

/** Open petitions whose deadline has come (`closes_at <= now`), oldest deadline first. */
export async function lockPetitionsDueToClose(
  trx: Transaction<Database>,
  now: Date,
  limit: number,
): Promise<CloseCandidate[]> {
  const rows = await trx
    .selectFrom('petitions')
    .select([
      'id',
      'profile',
      'state',
      'closes_at',
      'closed_at',
      'response_state',
      'response_threshold_reached_at',
      'agreement_count',
      'response_threshold',
      'debate_threshold',
    ])
    .where('state', '=', TRANSITION_FROM.close)
    .where('closes_at', '<=', now)
    .orderBy('closes_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows as CloseCandidate[];
}

/**
 * Closes one locked petition: state `closed`, `closed_at` = its deadline `closes_at` (copied in SQL, so exactly),
 * and its answer deadline when given.
 * @returns true when it closed now (false: it had left `open` meanwhile, nothing changed)
 */
export async function applyClose(
  trx: Transaction<Database>,
  petitionId: string,
  changes: { closedAt: Date; responseDueAt?: Date | null },
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('petitions')
    .set({
      state: 'closed',
      // the deadline itself, to the microsecond (a JavaScript Date keeps milliseconds only)
      closed_at: sql<Date>`closes_at`,
      ...(changes.responseDueAt !== undefined ? { response_due_at: changes.responseDueAt } : {}),
      updated_at: now,
    })
    .where('id', '=', petitionId)
    .where('state', '=', TRANSITION_FROM.close)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** A petition that may have lapsed (still collecting pre-agreements, started long enough ago). */
export interface LapseCandidate {
  id: string;
  profile: string;
  state: 'collecting_pre_agreements';
  collecting_since: Date | null;
  agreement_count: number;
}

/**
 * Petitions of `profile` collecting pre-agreements since no later than `startedBy`, oldest first.
 * @param startedBy the latest start that can have lapsed (`lapseCandidateCutoff`)
 */
export async function lockLapseCandidates(
  trx: Transaction<Database>,
  profile: string,
  startedBy: Date,
  limit: number,
): Promise<LapseCandidate[]> {
  const rows = await trx
    .selectFrom('petitions')
    .select(['id', 'profile', 'state', 'collecting_since', 'agreement_count'])
    .where('state', '=', TRANSITION_FROM.lapse)
    .where('profile', '=', profile)
    .where('collecting_since', '<=', startedBy)
    .orderBy('collecting_since')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows as LapseCandidate[];
}

/**
 * Lapses one locked petition: state `lapsed`, `lapsed_at` = its window's end; its private pre-agreement link stops
 * working (the token hash is cleared).
 * @returns true when it lapsed now
 */
export async function applyLapse(
  trx: Transaction<Database>,
  petitionId: string,
  lapsedAt: Date,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('petitions')
    .set({ state: 'lapsed', lapsed_at: lapsedAt, sponsor_token_hash: null, updated_at: now })
    .where('id', '=', petitionId)
    .where('state', '=', TRANSITION_FROM.lapse)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** An owed answer whose deadline may have come. */
export interface OverdueCandidate {
  id: string;
  response_state: ResponseState;
  response_due_at: Date | null;
}

/** Petitions awaiting an answer whose deadline has come (`response_due_at <= now`), earliest first. */
export async function lockResponsesPastDue(
  trx: Transaction<Database>,
  now: Date,
  limit: number,
): Promise<OverdueCandidate[]> {
  return trx
    .selectFrom('petitions')
    .select(['id', 'response_state', 'response_due_at'])
    .where('response_state', '=', OVERDUE_FROM)
    .where('response_due_at', '<=', now)
    .orderBy('response_due_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Marks one locked petition's answer `overdue`. @returns true when marked now */
export async function applyOverdue(
  trx: Transaction<Database>,
  petitionId: string,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('petitions')
    .set({ response_state: 'overdue', updated_at: now })
    .where('id', '=', petitionId)
    .where('response_state', '=', OVERDUE_FROM)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** A petition in review that may have breached its profile's review target. */
export interface ReviewCandidate {
  id: string;
  profile: string;
  state: 'in_review';
  review_started_at: Date | null;
  review_overdue_at: Date | null;
  /** The profile's review target (days; moderation settings, else the default passed in). */
  target_days: number;
}

/**
 * Petitions in review, not yet flagged, whose review started at least their profile's target ago.
 * @param defaultTargetDays the target of profiles without moderation settings (days)
 */
export async function lockReviewsPastTarget(
  trx: Transaction<Database>,
  now: Date,
  defaultTargetDays: number,
  limit: number,
): Promise<ReviewCandidate[]> {
  const rows = await trx
    .selectFrom('petitions as p')
    .leftJoin('moderation_settings as ms', 'ms.profile', 'p.profile')
    .select([
      'p.id',
      'p.profile',
      'p.state',
      'p.review_started_at',
      'p.review_overdue_at',
      sql<number>`coalesce(ms.review_target_days, ${defaultTargetDays})::int`.as('target_days'),
    ])
    .where('p.state', '=', TRANSITION_FROM.reviewOverdue)
    .where('p.review_overdue_at', 'is', null)
    .where(
      sql<boolean>`p.review_started_at + make_interval(hours => 24 * coalesce(ms.review_target_days, ${defaultTargetDays})::int)
        <= ${now.toISOString()}::timestamptz`,
    )
    .orderBy('p.review_started_at')
    .orderBy('p.id')
    .limit(limit)
    .forUpdate('p')
    .skipLocked()
    .execute();
  return rows as ReviewCandidate[];
}

/** Records when one locked petition breached its review target. @returns true when recorded now */
export async function applyReviewOverdue(
  trx: Transaction<Database>,
  petitionId: string,
  breachedAt: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('petitions')
    .set({ review_overdue_at: breachedAt })
    .where('id', '=', petitionId)
    .where('state', '=', TRANSITION_FROM.reviewOverdue)
    .where('review_overdue_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
