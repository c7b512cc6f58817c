import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { agreementPeriod } from '../domain/closing-dates.js';
import { effectiveSettings, getProfile } from '../domain/policy-profiles.js';
import { loadProfileOverrides } from '../repositories/profile-settings.js';
import { insertPetition } from '../repositories/writes/petition-creation.js';

/** Marks a demonstration petition's title, so no one mistakes it for a citizen's. */
export const DEMO_TITLE_PREFIX = '[시연 DEMO]';

/**
 * Opens a demonstration petition for trying the signing path locally: the bundled archive holds only closed
 * petitions, and a real one reaches the public only after its pre-agreements and moderation. The petition is
 * open at once for the profile's agreement period with its thresholds (runtime settings applied), in category 'other', its title
 * marked `DEMO_TITLE_PREFIX`. Not for a real deployment (the CLI refuses on PostgreSQL without `--on-postgres`).
 * @param profile the deployment's policy profile code (e.g. 'cheongwadae')
 * @param now the opening instant (UTC); the period ends at the end of its last local day in the profile's zone
 * @returns the new petition's id
 * @throws DomainError('unknown_profile')
 */
export async function openDemoPetition(
  db: Kysely<Database>,
  profile: string,
  now = new Date(),
): Promise<string> {
  const p = getProfile(profile);
  const settings = effectiveSettings(p, await loadProfileOverrides(db, p.code)); // the administrator's settings
  const period = agreementPeriod(now, settings.agreementPeriod, p.timeZone);
  return await insertPetition(db, {
    profile: p.code,
    category: p.categories.some((c) => c.code === 'other') ? 'other' : (p.categories[0]?.code ?? null),
    title: `${DEMO_TITLE_PREFIX} 동네 공원에 그늘막을 설치해 주십시오`,
    body:
      '이 청원은 청원(Cheongwon)을 내 컴퓨터에서 시험해 보기 위한 시연용 청원입니다. ' +
      '이메일로 동의한 뒤 /dev/mailbox 에서 확인 메일을 열어 동의를 확인해 보십시오.\n\n' +
      'A demonstration petition for trying Cheongwon on your own machine: agree by email, then open the ' +
      'confirmation mail at /dev/mailbox and confirm.',
    state: 'open',
    opened_at: now,
    closes_at: period.closesAt,
    response_threshold: settings.responseThreshold,
  });
}
