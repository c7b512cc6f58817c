import type { Kysely, Transaction } from 'kysely';
import type { Database, ModerationDecisionKind, PetitionRow } from '../../db/schema.js';
import { DomainError } from '../../domain/errors.js';
import { isPetitionState, type PetitionState } from '../../domain/petition-states.js';
import type { PolicySettings } from '../../domain/policy-profiles.js';
import type { Actor } from '../../domain/staff.js';
import { enqueueCreatorNotification } from '../../notifications/outbox.js';
import type { ReviewDecisionNotice } from '../../notifications/templates/notifications.js';
import { liveCheckoutStaffId } from '../../repositories/moderation-queue.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import {
  deleteCheckout,
  insertModerationDecision,
  lockPetition,
  updateDecidedPetition,
} from '../../repositories/writes/moderation.js';

/**
 * The shared frame of the moderation decision commands (publish-petition, reject-petition, mark-duplicate,
 * hide-petition, unhide-petition, hide-in-part, unhide-in-part) — not a use case of its own.
 *
 * Every decision runs in ONE transaction that locks the petition, requires the deciding moderator's live check-out,
 * changes the petition, records the decision in `moderation_decisions` (the record the creator is told from),
 * appends the audit entry (who, what, when, why, before/after), queues the creator's notification (outbox) and
 * releases the check-out. A refusal at any point leaves no change and no log.
 */

/** What every decision needs besides its own fields. */
export interface DecisionContext {
  petitionId: string;
  /** The deciding staff member (`staffId` is required: the command line does not decide on petitions). */
  actor: Actor & { staffId: string };
  /** UTC instant of the decision. */
  now: Date;
  /** Why (free text from the moderator); stored in the audit log. */
  reason?: string | undefined;
}

/** A profile's settings and time zone, as the site resolves them (runtime overrides included). */
export interface ProfileRules {
  settingsFor(profile: string): PolicySettings;
  timeZoneFor(profile: string): string;
}

type Snapshot = Pick<
  PetitionRow,
  'state' | 'duplicate_of' | 'rejection_reason' | 'hidden_in_part' | 'opened_at' | 'closes_at' | 'hidden_from'
>;

function snapshot(p: PetitionRow): Record<string, unknown> {
  const s: Snapshot = {
    state: p.state,
    duplicate_of: p.duplicate_of,
    rejection_reason: p.rejection_reason,
    hidden_in_part: p.hidden_in_part,
    opened_at: p.opened_at,
    closes_at: p.closes_at,
    hidden_from: p.hidden_from,
  };
  return s as unknown as Record<string, unknown>;
}

/** What a decision does to the petition, as its command decides it. */
export interface Outcome {
  decision: ModerationDecisionKind;
  changes: Partial<Record<keyof PetitionRow, unknown>>;
  reasonCode?: string | null;
  publicReason?: string | null;
  /** Extra audit detail (merged into `after`). */
  detail?: Record<string, unknown>;
  /**
   * What the creator is mailed about this decision (the notification outbox): publication, rejection (with the
   * public reason), hiding (whole or in part, with the public label) and un-hiding. Other decisions are recorded.
   */
  notify?: ReviewDecisionNotice;
}

/**
 * The frame of every decision: lock, check-out, `decide`, update, decision record, audit, outbox, release.
 * @throws DomainError('petition_not_found' | 'checkout_required') and whatever `decide` throws
 */
export async function runDecision(
  db: Kysely<Database>,
  ctx: DecisionContext,
  decide: (trx: Transaction<Database>, petition: PetitionRow & { state: PetitionState }) => Promise<Outcome>,
): Promise<{ decisionId: string }> {
  return db.transaction().execute(async (trx) => {
    const petition = await lockPetition(trx, ctx.petitionId);
    if (!petition || !isPetitionState(petition.state)) {
      throw new DomainError('petition_not_found', `${ctx.petitionId}번 청원을 찾을 수 없습니다.`);
    }
    const holder = await liveCheckoutStaffId(trx, ctx.petitionId, ctx.now);
    if (holder !== ctx.actor.staffId) {
      throw new DomainError(
        'checkout_required',
        holder !== undefined
          ? '다른 검토자가 이 청원을 검토하고 있습니다. 그 검토가 끝난 뒤 다시 시도하십시오.'
          : '먼저 이 청원을 검토 시작(체크아웃)하십시오. 두 검토자가 한 청원을 동시에 결정하지 않도록 합니다.',
      );
    }
    const outcome = await decide(trx, petition as PetitionRow & { state: PetitionState });
    const updated = await updateDecidedPetition(trx, ctx.petitionId, outcome.changes, ctx.now);
    const decisionId = await insertModerationDecision(trx, {
      petitionId: ctx.petitionId,
      staffId: ctx.actor.staffId,
      decision: outcome.decision,
      reasonCode: outcome.reasonCode ?? null,
      publicReason: outcome.publicReason ?? null,
      note: ctx.reason ?? null,
      decidedAt: ctx.now,
    });
    await appendAudit(trx, {
      at: ctx.now,
      staffId: ctx.actor.staffId,
      actor: ctx.actor.name,
      action: `petition.${outcome.decision}`,
      subjectType: 'petition',
      subjectId: ctx.petitionId,
      reason: ctx.reason ?? null,
      before: snapshot(petition),
      after: { ...snapshot(updated), ...(outcome.detail ?? {}) },
    });
    if (outcome.notify) {
      await enqueueCreatorNotification(
        trx,
        ctx.petitionId,
        'creator.review_decision',
        { decision: outcome.notify, reason: outcome.publicReason ?? null, decisionId },
        ctx.now,
      );
    }
    await deleteCheckout(trx, ctx.petitionId);
    return { decisionId };
  });
}

/** A personal-data flag as refusals and audit entries name it (never its matched text). */
export function flagReference(f: {
  id: string;
  field: string;
  kind: string;
  start_offset: number;
  end_offset: number;
}) {
  return { id: Number(f.id), field: f.field, kind: f.kind, start: f.start_offset, end: f.end_offset };
}
