import type { Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { draftNotice } from '../../../domain/desk/notices.js';
import { defaultNoticeLanguage, legalDeadline } from '../../../domain/desk/takedowns.js';
import type { NoticeLanguage } from '../../../domain/desk/types.js';
import { insertNotice, insertTakedown } from '../../../repositories/writes/desk.js';

/**
 * The shared step of every way a takedown starts (a victim's URL, an officer's entry, a re-upload found) — not a
 * use case of its own: the takedown row (state drafted) and its first notice draft, from the template in the
 * site's language (`defaultNoticeLanguage`) unless one is given. The notice's recipient is the platform's notice
 * address when known, else empty (the officer fills it before approving).
 * @returns the takedown id and the notice id
 */
export async function draftTakedown(
  trx: Transaction<Database>,
  t: {
    url: string;
    site: string;
    caseId: string | null;
    platformId?: string | null;
    noticeEmail?: string | null;
    jurisdiction?: string | null;
    language?: NoticeLanguage;
    reuploadOf?: string | null;
    operatorName: string;
    draftedBy: string | null;
    now: Date;
  },
): Promise<{ takedownId: string; noticeId: string }> {
  const language = t.language ?? defaultNoticeLanguage(t.site);
  const takedownId = await insertTakedown(trx, {
    case_id: t.caseId,
    url: t.url,
    site: t.site,
    platform_id: t.platformId ?? null,
    jurisdiction: t.jurisdiction ?? null,
    language,
    reupload_of: t.reuploadOf ?? null,
    now: t.now,
  });
  const text = draftNotice(language, {
    url: t.url,
    reference: `T-${takedownId}`,
    dueOn: legalDeadline(t.now).toISOString().slice(0, 10),
    sender: t.operatorName,
  });
  const noticeId = await insertNotice(trx, {
    takedownId,
    language,
    recipient: t.noticeEmail ?? '',
    subject: text.subject,
    body: text.body,
    draftedBy: t.draftedBy,
    now: t.now,
  });
  return { takedownId, noticeId };
}
