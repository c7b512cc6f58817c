import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { assertTakedownTransition } from '../../domain/desk/takedowns.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/staff.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { lockNotice, lockTakedown, updateNotice, updateTakedown } from '../../repositories/writes/desk.js';

/**
 * A desk officer approves a notice as it reads now (a person approves every notice before it goes out): notice
 * draft → approved, its takedown drafted → approved. Sending is its own step (`sendNotice`). Audited, with the
 * approved subject.
 * @throws DomainError('not_found'), ('invalid_transition') when not a draft, ('invalid_parameter') when the
 *   recipient is not an email address
 */
export async function approveNotice(
  db: Kysely<Database>,
  input: { noticeId: string; actor: Actor & { staffId: string }; now: Date },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const n = await lockNotice(trx, input.noticeId);
    if (!n) throw new DomainError('not_found', '그런 통지문이 없습니다.');
    if (n.state !== 'draft') throw new DomainError('invalid_transition', '이미 승인된 통지문입니다.');
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(n.recipient)) {
      throw new DomainError('invalid_parameter', '받는 사람(플랫폼 신고 창구) 이메일을 먼저 적으십시오.', {
        fields: { recipient: 'an email address' },
      });
    }
    const t = await lockTakedown(trx, n.takedown_id);
    if (!t) throw new DomainError('takedown_not_found', '그런 삭제 요청이 없습니다.');
    assertTakedownTransition(t.state, 'approved');
    await updateNotice(trx, n.id, {
      state: 'approved',
      approved_by: input.actor.staffId,
      approved_at: input.now,
    });
    await updateTakedown(trx, t.id, { state: 'approved' }, input.now);
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: 'desk.notice.approve',
      subjectType: 'desk_notice',
      subjectId: n.id,
      after: { takedownId: t.id, language: n.language, recipient: n.recipient, subject: n.subject },
    });
  });
}
