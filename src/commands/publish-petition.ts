import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { agreementPeriod } from '../domain/closing-dates.js';
import { DomainError } from '../domain/errors.js';
import { withheldReason } from '../domain/moderation.js';
import { personalDataOfFields } from '../domain/personal-data.js';
import { assertTransition } from '../domain/petition-states.js';
import { loadModerationSettings } from '../repositories/moderation-settings.js';
import { recordPersonalDataFlags, resolvePersonalDataFlags } from '../repositories/writes/moderation.js';
import {
  type DecisionContext,
  flagReference,
  type ProfileRules,
  runDecision,
} from './steps/moderation-decision.js';

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
    const election = await loadModerationSettings(trx, p.profile);
    const withheld = withheldReason(election, p.category || null);
    if (withheld !== null) {
      throw new DomainError(
        'election_withheld',
        `선거 기간에는 이 분야의 청원을 공개하지 않습니다: ${withheld}`,
        {
          category: p.category,
        },
      );
    }
    const flags = await recordPersonalDataFlags(trx, p.id, personalDataOfFields(p));
    const unresolved = flags.filter((f) => f.resolution === null);
    const override = ctx.overridePersonalData?.trim();
    if (unresolved.length > 0 && !override) {
      throw new DomainError(
        'personal_data_unresolved',
        `개인정보로 보이는 부분 ${unresolved.length}곳이 처리되지 않았습니다. 가리거나, 공개해도 되는 이유를 적어 예외로 처리하십시오.`,
        { flags: unresolved.map(flagReference) },
      );
    }
    if (unresolved.length > 0 && override) {
      await resolvePersonalDataFlags(
        trx,
        unresolved.map((f) => f.id),
        { kind: 'overridden', reason: override },
        { staffId: ctx.actor.staffId, at: ctx.now },
      );
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
          ? { personal_data_override: { reason: override, flags: unresolved.map(flagReference) } }
          : {},
    };
  });
}
