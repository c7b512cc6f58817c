import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CountRules } from '../domain/count-effects.js';
import { lapseCandidateCutoff, lapseDecision } from '../domain/lifecycle.js';
import { PROFILE_CODES } from '../domain/policy-profiles.js';
import { enqueueCreatorNotification } from '../notifications/outbox.js';
import { applyLapse, lockLapseCandidates } from '../repositories/writes/lifecycle.js';
import { auditTransition } from './steps/scheduler-audit.js';

/**
 * Lapses the petitions whose window for pre-agreements ended before they had enough (국회 국민동의청원: 100
 * supporters within 30 days; Blue House: 100 within 30 days; profiles with `preAgreementPeriod: null` never lapse),
 * at most `limit` per profile, in ONE transaction: state `lapsed` with `lapsed_at` = the window's end
 * (`lapseDecision`, src/domain/lifecycle.ts), the private pre-agreement link disabled, the creator mailed
 * (`creator.lapsed`) and an audit entry written.
 * @param now the current instant (UTC)
 * @returns the ids lapsed now
 */
export async function lapseExpiredCollections(
  deps: { db: Kysely<Database>; rules: CountRules },
  now: Date,
  limit = 200,
): Promise<string[]> {
  return deps.db.transaction().execute(async (trx) => {
    const lapsed: string[] = [];
    for (const profile of PROFILE_CODES) {
      const settings = deps.rules.settingsFor(profile);
      const cutoff = lapseCandidateCutoff(settings, now);
      if (cutoff === null) continue;
      const zone = deps.rules.timeZoneFor(profile);
      for (const p of await lockLapseCandidates(trx, profile, cutoff, limit)) {
        const decision = lapseDecision(
          { state: p.state, collectingSince: p.collecting_since, count: p.agreement_count },
          settings,
          zone,
          now,
        );
        if (!decision || !(await applyLapse(trx, p.id, decision.lapsedAt, now))) continue;
        await enqueueCreatorNotification(
          trx,
          p.id,
          'creator.lapsed',
          { count: p.agreement_count, threshold: settings.preAgreementThreshold },
          now,
        );
        await auditTransition(trx, now, p.id, 'petition.lapse', {
          before: { state: p.state },
          after: { state: decision.state, lapsed_at: decision.lapsedAt.toISOString() },
        });
        lapsed.push(p.id);
      }
    }
    return lapsed;
  });
}
