import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { draftNotice } from '../../domain/desk/notices.js';
import { legalDeadline } from '../../domain/desk/takedowns.js';
import { isOneOf, NOTICE_LANGUAGES } from '../../domain/desk/types.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/staff.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { lockNotice, lockTakedown, updateNotice } from '../../repositories/writes/desk.js';

/**
 * A desk officer changes a notice draft before approving it: the recipient, the subject and body as written, or a
 * fresh draft from the template in another language (`language` given and different: subject and body are
 * re-drafted, any edit of them is replaced). Only a draft can change. Audited.
 * @throws DomainError('not_found' | 'invalid_transition' | 'invalid_parameter')
 */
export async function editNotice(
  db: Kysely<Database>,
  input: {
    noticeId: string;
    recipient?: string;
    subject?: string;
    body?: string;
    language?: string;
    operatorName: string;
    actor: Actor;
    now: Date;
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const n = await lockNotice(trx, input.noticeId);
    if (!n) throw new DomainError('not_found', '그런 통지문이 없습니다.');
    if (n.state !== 'draft') throw new DomainError('invalid_transition', '승인된 통지문은 고칠 수 없습니다.');
    const t = await lockTakedown(trx, n.takedown_id);
    if (!t) throw new DomainError('takedown_not_found', '그런 삭제 요청이 없습니다.');
    const changes: Parameters<typeof updateNotice>[2] = {};
    const language = (input.language ?? '').trim();
    if (language && language !== n.language) {
      if (!isOneOf(NOTICE_LANGUAGES, language)) {
        throw new DomainError('invalid_parameter', `언어는 ${NOTICE_LANGUAGES.join(', ')} 중 하나입니다.`, {
          fields: { language: NOTICE_LANGUAGES.join(', ') },
        });
      }
      const text = draftNotice(language, {
        url: t.url,
        reference: `T-${t.id}`,
        dueOn: legalDeadline(input.now).toISOString().slice(0, 10),
        sender: input.operatorName,
      });
      Object.assign(changes, { language, subject: text.subject, body: text.body });
    } else {
      if (input.subject?.trim()) changes.subject = input.subject.trim().slice(0, 300);
      if (input.body?.trim()) changes.body = input.body.trim().slice(0, 20_000);
    }
    if (input.recipient !== undefined) changes.recipient = input.recipient.trim().toLowerCase();
    await updateNotice(trx, n.id, changes);
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: 'desk.notice.edit',
      subjectType: 'desk_notice',
      subjectId: n.id,
      before: { language: n.language, recipient: n.recipient },
      after: {
        language: (changes as { language?: string }).language ?? n.language,
        recipient: changes.recipient ?? n.recipient,
      },
    });
  });
}
