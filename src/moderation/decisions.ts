import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, ModerationDecisionKind, PetitionRow, RedactedPassage } from '../db/schema.js';
import { agreementPeriod } from '../domain/closing-dates.js';
import { DomainError } from '../domain/errors.js';
import { detectPersonalData } from '../domain/personal-data.js';
import {
  assertTransition,
  inGroup,
  isPetitionState,
  isPublic,
  PARTIALLY_HIDEABLE_STATES,
  type PetitionState,
  REVIEWABLE_STATES,
  stateAfterUnhiding,
} from '../domain/petition-states.js';
import type { PolicySettings } from '../domain/policy-profiles.js';
import { isRecordNumber } from '../domain/record-numbers.js';
import { enqueueCreatorNotification } from '../notifications/outbox.js';
import type { ReviewDecisionNotice } from '../notifications/templates/notifications.js';
import { appendAudit } from '../repositories/audit.js';
import type { Actor } from '../staff/accounts.js';

/**
 * Moderation decisions on a petition: publish, reject with a public reason, mark as duplicate, hide wholly, un-hide,
 * hide in part (passages replaced by a visible marker, originals kept in `petition_redactions`) and un-hide in part.
 *
 * Every decision runs in ONE transaction that locks the petition, requires the deciding moderator's live check-out,
 * changes the petition, records the decision in `moderation_decisions` (the record the creator is told from),
 * appends the audit entry (who, what, when, why, before/after) and releases the check-out. A refusal at any point
 * leaves no change and no log.
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

/** The visible marker that replaces a hidden passage, e.g. '[일부 숨김: 개인정보]'. */
export function hiddenMarker(label: string): string {
  return `[일부 숨김: ${label}]`;
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

interface Outcome {
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
 * The frame of every decision: lock, check-out, `decide`, update, decision record, audit, release.
 * @throws DomainError('petition_not_found' | 'checkout_required') and whatever `decide` throws
 */
async function runDecision(
  db: Kysely<Database>,
  ctx: DecisionContext,
  decide: (trx: Transaction<Database>, petition: PetitionRow & { state: PetitionState }) => Promise<Outcome>,
): Promise<{ decisionId: string }> {
  return db.transaction().execute(async (trx) => {
    const petition = await trx
      .selectFrom('petitions')
      .selectAll()
      .where('id', '=', ctx.petitionId)
      .forUpdate()
      .executeTakeFirst();
    if (!petition || !isPetitionState(petition.state)) {
      throw new DomainError('petition_not_found', `${ctx.petitionId}번 청원을 찾을 수 없습니다.`);
    }
    const checkout = await trx
      .selectFrom('moderation_checkouts')
      .select('staff_id')
      .where('petition_id', '=', ctx.petitionId)
      .where('expires_at', '>', ctx.now)
      .executeTakeFirst();
    if (checkout?.staff_id !== ctx.actor.staffId) {
      throw new DomainError(
        'checkout_required',
        checkout
          ? '다른 검토자가 이 청원을 검토하고 있습니다. 그 검토가 끝난 뒤 다시 시도하십시오.'
          : '먼저 이 청원을 검토 시작(체크아웃)하십시오. 두 검토자가 한 청원을 동시에 결정하지 않도록 합니다.',
      );
    }
    const outcome = await decide(trx, petition as PetitionRow & { state: PetitionState });
    const updated = await trx
      .updateTable('petitions')
      .set({ ...(outcome.changes as object), updated_at: ctx.now })
      .where('id', '=', ctx.petitionId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const decision = await trx
      .insertInto('moderation_decisions')
      .values({
        petition_id: ctx.petitionId,
        staff_id: ctx.actor.staffId,
        decision: outcome.decision,
        reason_code: outcome.reasonCode ?? null,
        public_reason: outcome.publicReason ?? null,
        note: ctx.reason ?? null,
        decided_at: ctx.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
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
        { decision: outcome.notify, reason: outcome.publicReason ?? null, decisionId: decision.id },
        ctx.now,
      );
    }
    await trx.deleteFrom('moderation_checkouts').where('petition_id', '=', ctx.petitionId).execute();
    return { decisionId: decision.id };
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Detects personal data in the petition's current title and body (`detectPersonalData`) and stores the flags of
 * this version (a version is the SHA-256 of the field's text) if not stored yet.
 * @returns the flags of the current version that are not resolved (masked or overridden)
 */
export async function currentPersonalDataFlags(
  db: Kysely<Database>,
  petition: Pick<PetitionRow, 'id' | 'title' | 'body'>,
) {
  const fields = [
    ['title', petition.title],
    ['body', petition.body ?? ''],
  ] as const;
  for (const [field, text] of fields) {
    const found = text ? detectPersonalData(text) : [];
    if (found.length === 0) continue;
    await db
      .insertInto('personal_data_flags')
      .values(
        found.map((f) => ({
          petition_id: petition.id,
          version: sha256(text),
          field,
          kind: f.kind,
          start_offset: f.start,
          end_offset: f.end,
          matched_text: f.text,
          mask: f.mask,
          confidence: f.confidence,
        })),
      )
      .onConflict((oc) => oc.constraint('personal_data_flags_once').doNothing())
      .execute();
  }
  return db
    .selectFrom('personal_data_flags')
    .selectAll()
    .where('petition_id', '=', petition.id)
    .where((eb) =>
      eb.or(
        fields.map(([field, text]) => eb.and([eb('field', '=', field), eb('version', '=', sha256(text))])),
      ),
    )
    .orderBy('field')
    .orderBy('start_offset')
    .execute();
}

/**
 * Publishes a petition in review: state `open`, agreement period from now (profile's `agreementPeriod` in its time
 * zone, closing-dates.ts), the profile's current thresholds fixed on it.
 * Refused while the election-period switch withholds its category, and while its current text has personal-data
 * flags that are neither masked nor overridden — unless `overridePersonalData` gives a reason, which marks them
 * overridden (with who, when, why) and is audited.
 * @throws DomainError('invalid_transition' | 'election_withheld' | 'personal_data_unresolved' | 'checkout_required')
 */
export async function publishPetition(
  db: Kysely<Database>,
  ctx: DecisionContext & { rules: ProfileRules; overridePersonalData?: string | undefined },
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (trx, p) => {
    assertTransition(p.state, 'open');
    const election = await trx
      .selectFrom('moderation_settings')
      .select(['election_active', 'election_categories', 'election_reason'])
      .where('profile', '=', p.profile)
      .executeTakeFirst();
    if (election?.election_active && p.category && election.election_categories.includes(p.category)) {
      throw new DomainError(
        'election_withheld',
        `선거 기간에는 이 분야의 청원을 공개하지 않습니다: ${election.election_reason}`,
        {
          category: p.category,
        },
      );
    }
    const unresolved = (await currentPersonalDataFlags(trx, p)).filter((f) => f.resolution === null);
    const override = ctx.overridePersonalData?.trim();
    if (unresolved.length > 0 && !override) {
      throw new DomainError(
        'personal_data_unresolved',
        `개인정보로 보이는 부분 ${unresolved.length}곳이 처리되지 않았습니다. 가리거나, 공개해도 되는 이유를 적어 예외로 처리하십시오.`,
        {
          flags: unresolved.map((f) => ({
            id: Number(f.id),
            field: f.field,
            kind: f.kind,
            start: f.start_offset,
            end: f.end_offset,
          })),
        },
      );
    }
    if (unresolved.length > 0 && override) {
      await trx
        .updateTable('personal_data_flags')
        .set({
          resolution: 'overridden',
          resolution_reason: override,
          resolved_by: ctx.actor.staffId,
          resolved_at: ctx.now,
        })
        .where(
          'id',
          'in',
          unresolved.map((f) => f.id),
        )
        .execute();
    }
    const settings = ctx.rules.settingsFor(p.profile);
    const period = agreementPeriod(ctx.now, settings.agreementPeriod, ctx.rules.timeZoneFor(p.profile));
    return {
      decision: 'publish',
      notify: 'published',
      changes: {
        state: 'open',
        opened_at: ctx.now,
        closes_at: period.closesAt,
        response_threshold: settings.responseThreshold,
        debate_threshold: settings.debateThreshold,
        hidden_from: null,
      },
      detail:
        unresolved.length > 0
          ? {
              personal_data_override: {
                reason: override,
                flags: unresolved.map((f) => ({
                  id: Number(f.id),
                  field: f.field,
                  kind: f.kind,
                  start: f.start_offset,
                  end: f.end_offset,
                })),
              },
            }
          : {},
    };
  });
}

/**
 * Rejects a petition in review with a reason from the editable list (`reject_reasons`, active ones); the public
 * reason is the list's text unless the moderator wrote one. Shown on the petition page.
 * @throws DomainError('invalid_parameter') for an unknown or inactive reason; DomainError('invalid_transition')
 */
export async function rejectPetition(
  db: Kysely<Database>,
  ctx: DecisionContext & { reasonCode: string; publicReason?: string | undefined },
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (trx, p) => {
    assertTransition(p.state, 'rejected');
    const reason = await activeReason(trx, ctx.reasonCode);
    const publicReason = ctx.publicReason?.trim() || reason.public_text;
    return {
      decision: 'reject',
      notify: 'rejected',
      changes: { state: 'rejected', rejection_reason: publicReason },
      reasonCode: reason.code,
      publicReason,
    };
  });
}

/**
 * Marks a petition as a duplicate of petition `of` (which must exist and be public): one in review is rejected with
 * the 'duplicate' reason; a public one keeps its state. Either way its page points to `of`.
 * @throws DomainError('invalid_parameter') when `of` is itself, unknown or not public
 */
export async function markDuplicate(
  db: Kysely<Database>,
  ctx: DecisionContext & { of: string },
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (trx, p) => {
    if (!isRecordNumber(ctx.of) || ctx.of === p.id) {
      throw new DomainError(
        'invalid_parameter',
        '원래 청원 번호가 올바르지 않습니다 (자기 자신은 안 됩니다).',
        { fields: ['of'] },
      );
    }
    const original = await trx
      .selectFrom('petitions')
      .select(['id', 'state'])
      .where('id', '=', ctx.of)
      .executeTakeFirst();
    if (!original || !isPetitionState(original.state) || !isPublic(original.state)) {
      throw new DomainError('invalid_parameter', `${ctx.of}번 청원은 공개된 청원이 아닙니다.`, {
        fields: ['of'],
      });
    }
    const reason = await activeReason(trx, 'duplicate');
    const publicReason = `${reason.public_text} (${ctx.of}번 청원)`;
    if (p.state === 'in_review') {
      assertTransition(p.state, 'rejected');
      return {
        decision: 'duplicate',
        notify: 'rejected',
        changes: { state: 'rejected', duplicate_of: ctx.of, rejection_reason: publicReason },
        reasonCode: 'duplicate',
        publicReason,
      };
    }
    if (!isPublic(p.state)) assertTransition(p.state, 'rejected');
    return {
      decision: 'duplicate',
      changes: { duplicate_of: ctx.of },
      reasonCode: 'duplicate',
      publicReason,
    };
  });
}

/**
 * Hides a whole petition (state `hidden`, remembering the state it was in).
 * @throws DomainError('invalid_transition') from states that cannot be hidden
 */
export async function hidePetition(
  db: Kysely<Database>,
  ctx: DecisionContext,
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (_trx, p) => {
    assertTransition(p.state, 'hidden');
    return { decision: 'hide', changes: { state: 'hidden', hidden_from: p.state }, notify: 'hidden' };
  });
}

/**
 * Un-hides a petition: back to `open` (deadline ahead) or `closed` (`stateAfterUnhiding`). A petition hidden from
 * review or after a rejection has no automatic way back.
 * @throws DomainError('invalid_transition')
 */
export async function unhidePetition(
  db: Kysely<Database>,
  ctx: DecisionContext,
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (_trx, p) => {
    const hiddenFrom = p.hidden_from;
    const to =
      p.state === 'hidden' && isPetitionState(hiddenFrom)
        ? stateAfterUnhiding({ hiddenFrom, closesAt: p.closes_at }, ctx.now)
        : null;
    if (!to) {
      throw new DomainError(
        'invalid_transition',
        p.state === 'hidden'
          ? '검토 중이거나 거부된 뒤 숨긴 청원은 자동으로 되돌릴 수 없습니다. 공개하려면 공개 결정을 하십시오.'
          : '숨긴 청원이 아닙니다.',
        { from: p.state, hiddenFrom },
      );
    }
    assertTransition('hidden', to);
    const changes: Outcome['changes'] = { state: to, hidden_from: null };
    if (to === 'closed' && hiddenFrom === 'open') changes.closed_at = p.closes_at;
    return { decision: 'unhide', changes, notify: 'unhidden' };
  });
}

/** A passage to hide: exact text (every occurrence) or a span, in one field. */
export type PassageSelection =
  | { field: 'title' | 'body'; text: string }
  | { field: 'title' | 'body'; start: number; end: number; replacement?: string };

/**
 * Replaces chosen spans of `text` with `replacement(span)`. Spans must lie within the text; overlapping or touching
 * spans are merged first (the merged span takes the first one's replacement).
 * @returns the new text and the spans as they were in the original text
 */
export function replaceSpans(
  text: string,
  spans: Array<{ start: number; end: number; replacement: string }>,
): { text: string; spans: Array<{ start: number; end: number; replacement: string }> } {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: typeof sorted = [];
  for (const s of sorted) {
    if (
      !(
        Number.isInteger(s.start) &&
        Number.isInteger(s.end) &&
        s.start >= 0 &&
        s.end > s.start &&
        s.end <= text.length
      )
    ) {
      throw new DomainError('invalid_parameter', '숨길 부분의 위치가 본문 밖입니다.', {
        fields: ['passages'],
      });
    }
    const last = merged.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  let out = '';
  let at = 0;
  for (const s of merged) {
    out += text.slice(at, s.start) + s.replacement;
    at = s.end;
  }
  return { text: out + text.slice(at), spans: merged };
}

/**
 * Hides passages of a public or in-review petition: each chosen passage of the title or body is replaced by the
 * visible marker `[일부 숨김: <label>]` (or, for personal-data flags, by the flag's suggested mask); the text before
 * is kept in `petition_redactions`, which only staff pages read. Personal-data flags chosen here are resolved as
 * 'masked'. The petition keeps its state and count (partial hiding is a flag, not a state).
 * @param ctx.passages exact passages or spans; ctx.flagIds personal-data flags of the current text to mask
 * @throws DomainError('invalid_parameter') when nothing is chosen, a passage is not in the text, or a flag is not
 *   of the current text; DomainError('invalid_transition') for states where nobody reads the text
 */
export async function hideInPart(
  db: Kysely<Database>,
  ctx: DecisionContext & { passages: PassageSelection[]; flagIds?: string[]; label: string },
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (trx, p) => {
    // published petitions (PARTIALLY_HIDEABLE_STATES), and petitions in review: personal data is masked before
    // publication this way
    if (!inGroup(PARTIALLY_HIDEABLE_STATES, p.state) && !inGroup(REVIEWABLE_STATES, p.state)) {
      throw new DomainError('invalid_transition', '검토 중이거나 공개된 청원만 일부를 숨길 수 있습니다.', {
        from: p.state,
      });
    }
    const label = ctx.label.trim() || '운영 원칙';
    const marker = hiddenMarker(label);
    const texts = { title: p.title, body: p.body ?? '' };
    const spans: Record<'title' | 'body', Array<{ start: number; end: number; replacement: string }>> = {
      title: [],
      body: [],
    };
    for (const sel of ctx.passages) {
      const text = texts[sel.field];
      if ('text' in sel) {
        const needle = sel.text;
        if (!needle) continue;
        let from = text.indexOf(needle);
        if (from < 0) {
          throw new DomainError(
            'invalid_parameter',
            `숨길 문구를 찾을 수 없습니다: “${needle.slice(0, 40)}”`,
            { fields: ['passages'] },
          );
        }
        while (from >= 0) {
          spans[sel.field].push({ start: from, end: from + needle.length, replacement: marker });
          from = text.indexOf(needle, from + needle.length);
        }
      } else
        spans[sel.field].push({ start: sel.start, end: sel.end, replacement: sel.replacement ?? marker });
    }
    const flagIds = ctx.flagIds ?? [];
    if (flagIds.length > 0) {
      const current = await currentPersonalDataFlags(trx, p);
      for (const id of flagIds) {
        const flag = current.find((f) => f.id === id);
        if (!flag) {
          throw new DomainError(
            'invalid_parameter',
            '고른 개인정보 표시가 지금 본문의 것이 아닙니다. 페이지를 새로 고치십시오.',
            { fields: ['flags'] },
          );
        }
        spans[flag.field].push({ start: flag.start_offset, end: flag.end_offset, replacement: flag.mask });
      }
      await trx
        .updateTable('personal_data_flags')
        .set({ resolution: 'masked', resolved_by: ctx.actor.staffId, resolved_at: ctx.now })
        .where('id', 'in', flagIds)
        .execute();
    }
    if (spans.title.length + spans.body.length === 0) {
      throw new DomainError('invalid_parameter', '숨길 부분을 하나 이상 고르십시오.', {
        fields: ['passages'],
      });
    }
    const changes: Outcome['changes'] = { hidden_in_part: true };
    const hidden: Array<{ field: string; count: number }> = [];
    for (const field of ['title', 'body'] as const) {
      if (spans[field].length === 0) continue;
      const original = texts[field];
      const result = replaceSpans(original, spans[field]);
      if (field === 'title' && result.text.length > 2000) {
        throw new DomainError('invalid_parameter', '제목이 너무 길어집니다.', { fields: ['passages'] });
      }
      const passages: RedactedPassage[] = result.spans.map((s) => ({
        start: s.start,
        end: s.end,
        text: original.slice(s.start, s.end),
        label: s.replacement === marker ? label : '개인정보',
      }));
      await trx
        .insertInto('petition_redactions')
        .values({
          petition_id: p.id,
          field,
          original_text: original,
          masked_text: result.text,
          passages: JSON.stringify(passages),
          staff_id: ctx.actor.staffId,
          created_at: ctx.now,
        })
        .execute();
      changes[field] = result.text;
      hidden.push({ field, count: passages.length });
    }
    // the audit entry names how many passages were hidden, never their text (that stays in petition_redactions)
    return {
      decision: 'hide_in_part',
      changes,
      detail: { hidden_passages: hidden, label },
      notify: 'hidden_in_part',
      publicReason: label,
    };
  });
}

/**
 * Restores the text hidden in part: title and body go back to their text before the first unrestored redaction.
 * @throws DomainError('invalid_transition') when nothing is hidden in part
 */
export async function unhideInPart(
  db: Kysely<Database>,
  ctx: DecisionContext,
): Promise<{ decisionId: string }> {
  return runDecision(db, ctx, async (trx, p) => {
    const redactions = await trx
      .selectFrom('petition_redactions')
      .select(['id', 'field', 'original_text'])
      .where('petition_id', '=', p.id)
      .where('restored_at', 'is', null)
      .orderBy('id')
      .execute();
    if (redactions.length === 0) {
      throw new DomainError('invalid_transition', '일부 숨긴 부분이 없습니다.', { from: p.state });
    }
    const changes: Outcome['changes'] = { hidden_in_part: false };
    for (const field of ['title', 'body'] as const) {
      const first = redactions.find((r) => r.field === field);
      if (first) changes[field] = first.original_text;
    }
    await trx
      .updateTable('petition_redactions')
      .set({ restored_at: ctx.now })
      .where(
        'id',
        'in',
        redactions.map((r) => r.id),
      )
      .execute();
    return { decision: 'unhide_in_part', changes };
  });
}

async function activeReason(db: Kysely<Database>, code: string) {
  const reason = await db
    .selectFrom('reject_reasons')
    .select(['code', 'public_text'])
    .where('code', '=', code)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!reason)
    throw new DomainError('invalid_parameter', '목록에 있는 거부 사유를 고르십시오.', {
      fields: ['reason_code'],
    });
  return reason;
}
