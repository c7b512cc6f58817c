import type { Kysely } from 'kysely';
import type { Database, RedactedPassage } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { hiddenMarker, type PassageSelection, passageSpans, replaceSpans } from '../domain/moderation.js';
import { personalDataOfFields } from '../domain/personal-data.js';
import { canHideInPart, isReviewable } from '../domain/petition-states.js';
import {
  insertRedaction,
  recordPersonalDataFlags,
  resolvePersonalDataFlags,
} from '../repositories/writes/moderation.js';
import { type DecisionContext, type Outcome, runDecision } from './steps/moderation-decision.js';

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
    if (!canHideInPart(p.state) && !isReviewable(p.state)) {
      throw new DomainError('invalid_transition', '검토 중이거나 공개된 청원만 일부를 숨길 수 있습니다.', {
        from: p.state,
      });
    }
    const label = ctx.label.trim() || '운영 원칙';
    const marker = hiddenMarker(label);
    const texts = { title: p.title, body: p.body ?? '' };
    const spans = passageSpans(texts, ctx.passages, marker);
    const flagIds = ctx.flagIds ?? [];
    if (flagIds.length > 0) {
      const current = await recordPersonalDataFlags(trx, p.id, personalDataOfFields(p));
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
      await resolvePersonalDataFlags(
        trx,
        flagIds,
        { kind: 'masked' },
        { staffId: ctx.actor.staffId, at: ctx.now },
      );
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
      await insertRedaction(trx, {
        petitionId: p.id,
        field,
        originalText: original,
        maskedText: result.text,
        passages,
        staffId: ctx.actor.staffId,
        at: ctx.now,
      });
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
