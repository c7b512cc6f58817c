import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { parseTakedownUrl } from '../../domain/desk/takedowns.js';
import { isOneOf, NOTICE_LANGUAGES } from '../../domain/desk/types.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/staff.js';
import { platformByName } from '../../repositories/desk.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { draftTakedown } from './steps/draft-takedown.js';

/**
 * A desk officer records a URL to be taken down (found by monitoring, reported by phone): a takedown in state
 * drafted with its notice draft. One transaction with its audit entry.
 * @param input.platform a registered platform's name (its notice address becomes the recipient), or empty
 * @param input.jurisdiction ISO 3166-1 alpha-2 country of the host, or empty
 * @param input.language a notice language (ko, en, ja, zh, ru, es, fr), or empty for the site's default
 * @throws DomainError('invalid_parameter') naming the field
 */
export async function createTakedown(
  db: Kysely<Database>,
  input: {
    url: string;
    caseId?: string | null;
    platform?: string;
    jurisdiction?: string;
    language?: string;
    operatorName: string;
    actor: Actor;
    now: Date;
  },
): Promise<{ takedownId: string; noticeId: string }> {
  const { url, site } = parseTakedownUrl(input.url);
  const jurisdiction = (input.jurisdiction ?? '').trim().toUpperCase() || null;
  if (jurisdiction !== null && !/^[A-Z]{2}$/.test(jurisdiction)) {
    throw new DomainError('invalid_parameter', '관할은 두 글자 국가 코드입니다 (예: KR, US).', {
      fields: { jurisdiction: 'ISO 3166-1 alpha-2' },
    });
  }
  const language = (input.language ?? '').trim() || undefined;
  if (language !== undefined && !isOneOf(NOTICE_LANGUAGES, language)) {
    throw new DomainError('invalid_parameter', `언어는 ${NOTICE_LANGUAGES.join(', ')} 중 하나입니다.`, {
      fields: { language: NOTICE_LANGUAGES.join(', ') },
    });
  }
  return db.transaction().execute(async (trx) => {
    const name = (input.platform ?? '').trim();
    const platform = name ? await platformByName(trx, name) : undefined;
    if (name && !platform) {
      throw new DomainError('invalid_parameter', `등록되지 않은 플랫폼입니다: ${name}`, {
        fields: { platform: 'unknown' },
      });
    }
    const made = await draftTakedown(trx, {
      url,
      site,
      caseId: input.caseId ?? null,
      platformId: platform?.id ?? null,
      noticeEmail: platform?.notice_email ?? null,
      jurisdiction: jurisdiction ?? platform?.jurisdiction ?? null,
      ...(language !== undefined ? { language } : {}),
      operatorName: input.operatorName,
      draftedBy: input.actor.staffId,
      now: input.now,
    });
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: 'desk.takedown.create',
      subjectType: 'desk_takedown',
      subjectId: made.takedownId,
      after: { site, platform: platform?.name ?? null, jurisdiction, caseId: input.caseId ?? null },
    });
    return made;
  });
}
