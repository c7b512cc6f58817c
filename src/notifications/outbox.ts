import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { progressMilestoneReached, thresholdCrossedAt } from '../domain/notification-events.js';
import type { PolicySettings } from '../domain/policy-profiles.js';
import { petitionsForCountEvents } from '../repositories/notifications.js';
import { insertOutboxRow, type OutboxRowInput } from '../repositories/writes/notifications.js';
import {
  type CreatorKind,
  isRepeatableDecision,
  type ReviewDecisionNotice,
  type SignerKind,
} from './templates/notifications.js';

/**
 * The notification outbox: every event that causes mail writes one `notification_outbox` row IN THE SAME
 * TRANSACTION as the event (a threshold crossing, a published answer, a review decision), so mail is never lost
 * when the event committed and never sent when it rolled back. The worker (worker.ts) turns rows into deliveries.
 *
 * Each row has a `dedupe_key` (UNIQUE): writing the same event twice stores one row, so a crossing that is undone
 * and crossed again, or an answer linked twice, notifies once.
 */

/**
 * Writes one outbox row unless one with the same `dedupeKey` exists.
 * @param trx the transaction of the causing event
 * @param row.payload JSON object handed to the worker (petition id, response id, reason…; never personal data)
 * @param row.now UTC instant: the row is due at once
 * @returns true when a row was written, false when the event was already recorded
 */
export async function enqueueOutbox(trx: Kysely<Database>, row: OutboxRowInput): Promise<boolean> {
  return insertOutboxRow(trx, row);
}

/**
 * Queues the mail to every opted-in signer of a petition (a fan-out, expanded by the worker in pages): at most once
 * per petition per kind, ever (dedupe key `<kind>:<petition id>`).
 * @returns true when queued now, false when this petition's signers were already notified of this kind
 */
export function enqueueSignerFanout(
  trx: Kysely<Database>,
  petitionId: string,
  kind: SignerKind,
  payload: Record<string, unknown>,
  now: Date,
): Promise<boolean> {
  return enqueueOutbox(trx, { kind, dedupeKey: `${kind}:${petitionId}`, petitionId, payload, now });
}

/** What each creator notification carries. */
export interface CreatorNotificationData {
  'creator.pre_agreement_progress': { milestone: 50 | 100; count: number; threshold: number };
  'creator.review_decision': {
    decision: ReviewDecisionNotice;
    reason?: string | null;
    /** The decision's id: hiding and un-hiding can happen more than once, and each is told. */
    decisionId?: string;
  };
  'creator.threshold_reached': { count: number; threshold: number };
  'creator.answered': { responseId: string };
  /** The period ended: the final count and the threshold it was measured against. */
  'creator.closed': { count: number; threshold: number };
  /** The pre-agreement window ended first: supporters gathered and needed. */
  'creator.lapsed': { count: number; threshold: number };
  'creator.debate_scheduled': { track: TrackNotice };
  'creator.debate_outcome': { track: TrackNotice };
  /** One mail per stage of the committee track (dedupe key carries the stage). */
  'creator.committee_stage': { track: TrackNotice };
}

/** What the mail of a parliamentary-track event says (public facts only). */
export interface TrackNotice {
  stage: string;
  on: string | null;
  note: string | null;
  bodyName: string | null;
  debated?: boolean;
}

/**
 * Queues the mail of a parliamentary-track event to every opted-in signer and to the creator, in the caller's
 * transaction: once per petition per kind, and for the committee track once per stage.
 */
export async function enqueueTrackNotices(
  trx: Kysely<Database>,
  petitionId: string,
  kind: 'debate_scheduled' | 'debate_outcome' | 'committee_stage',
  track: TrackNotice,
  now: Date,
): Promise<void> {
  const suffix = kind === 'committee_stage' ? `:${track.stage}` : '';
  await enqueueOutbox(trx, {
    kind: `signers.${kind}`,
    dedupeKey: `signers.${kind}:${petitionId}${suffix}`,
    petitionId,
    payload: { track },
    now,
  });
  await enqueueOutbox(trx, {
    kind: `creator.${kind}`,
    dedupeKey: `creator.${kind}:${petitionId}${suffix}`,
    petitionId,
    payload: { track },
    now,
  });
}

/**
 * Queues a mail to a petition's creator, in the caller's transaction (moderation calls it with the review decision
 * and reason; the agreement writer's hook with progress and threshold; publishing with the answer). The creator's
 * address comes from `petition_creators` when the worker sends (a petition without a row there sends nothing).
 *
 * Once per petition per kind — per milestone for progress and per decision for review decisions (dedupe keys
 * `creator.pre_agreement_progress:<id>:<50|100>`, `creator.review_decision:<id>:<decision>`, and for hiding and
 * un-hiding, which may repeat, `…:<decision>:<decision id>`).
 * @returns true when queued now, false when already queued before
 */
export function enqueueCreatorNotification<K extends CreatorKind>(
  trx: Kysely<Database>,
  petitionId: string,
  kind: K,
  data: CreatorNotificationData[K],
  now: Date,
): Promise<boolean> {
  let key = `${kind}:${petitionId}`;
  if (kind === 'creator.pre_agreement_progress') {
    key += `:${(data as CreatorNotificationData['creator.pre_agreement_progress']).milestone}`;
  } else if (kind === 'creator.review_decision') {
    const review = data as CreatorNotificationData['creator.review_decision'];
    key += `:${review.decision}`;
    if (isRepeatableDecision(review.decision)) key += `:${review.decisionId ?? ''}`;
  }
  return enqueueOutbox(trx, {
    kind,
    dedupeKey: key,
    petitionId,
    payload: data as unknown as Record<string, unknown>,
    now,
  });
}

/**
 * What the notification hook needs of a batch the agreement writer committed (structurally the writer's
 * `CommittedBatch`, so notifications imports nothing from signing): its instant and the agreements it counted.
 */
export interface CountedBatch {
  /** The batch's `now` (UTC), also stored as `response_threshold_reached_at` on a crossing in this batch. */
  now: Date;
  counted: ReadonlyArray<{ agreementId: string; petitionId: string; signerKey: string }>;
}

/**
 * The agreement writer's `effects` collaborator (`CountEffectWrites.afterCounts`) for notifications: in the
 * batch's own transaction, after its counts and threshold crossings were written, it reads the touched petitions
 * and queues
 *  - the threshold mail to signers and creator when the response threshold was crossed IN THIS BATCH (the writer
 *    stores the batch's `now` as `response_threshold_reached_at` on a crossing, and moves the response track to
 *    `awaiting`; a petition already answered gets no threshold mail);
 *  - the UK debate track: `debate_state` none → awaiting when the debate threshold was crossed in this batch;
 *  - the creator's pre-agreement progress mails at 50% and 100% of the profile's pre-agreement threshold (one
 *    mail for the highest milestone reached, so a jump past both sends one).
 * It is the writer's `effects.afterCounts`: only batches whose counts may have effects (the careful path) call it,
 * at the cost of one indexed read.
 *
 * @param deps.settingsFor effective settings of a profile (pre-agreement threshold)
 */
export function notificationWrites(deps: { settingsFor: (profile: string) => PolicySettings }) {
  return async (trx: Kysely<Database>, batch: CountedBatch): Promise<void> => {
    const ids = [...new Set(batch.counted.map((c) => c.petitionId))];
    if (ids.length > 0) await recordCountEvents(trx, ids, batch.now, deps);
  };
}

/**
 * Queues what follows from new counts of `petitionIds` (see `notificationWrites`). Callers that write counts
 * outside the batch writer (`reconcile --fix`) may call it with the `now` they passed to `writeCount`.
 */
export async function recordCountEvents(
  trx: Kysely<Database>,
  petitionIds: string[],
  now: Date,
  deps: { settingsFor: (profile: string) => PolicySettings },
): Promise<void> {
  const rows = await petitionsForCountEvents(trx, petitionIds);
  for (const p of rows) {
    const settings = deps.settingsFor(p.profile);
    if (thresholdCrossedAt(p, now)) {
      const threshold = p.response_threshold ?? settings.responseThreshold;
      const payload = { count: p.agreement_count, threshold };
      await enqueueSignerFanout(trx, p.id, 'signers.threshold_reached', payload, now);
      await enqueueCreatorNotification(trx, p.id, 'creator.threshold_reached', payload, now);
    }
    const pre = settings.preAgreementThreshold;
    const milestone = progressMilestoneReached(p, pre);
    if (milestone !== undefined) {
      await enqueueCreatorNotification(
        trx,
        p.id,
        'creator.pre_agreement_progress',
        { milestone, count: p.agreement_count, threshold: pre },
        now,
      );
    }
  }
}
