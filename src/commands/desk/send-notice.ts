import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { extendRetention } from '../../domain/desk/retention.js';
import { assertTakedownTransition, legalDeadline } from '../../domain/desk/takedowns.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/staff.js';
import { enqueueOutbox } from '../../notifications/outbox.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import {
  lockCase,
  lockNotice,
  lockTakedown,
  setCasePurgeAfter,
  updateNotice,
  updateTakedown,
} from '../../repositories/writes/desk.js';

/**
 * Sends an approved notice through the notification outbox (kind `desk.notice`, once per notice): notice approved
 * → sent, takedown approved → sent, and the legal clock starts — `due_at` = `legalDeadline(now)` (14 days,
 * 전기통신사업법 art. 22-5). The outbox row is written in the same transaction, so the notice is mailed exactly when
 * this commits. Audited.
 * @throws DomainError('not_found'), ('invalid_transition') when the notice is not approved
 */
export async function sendNotice(
  db: Kysely<Database>,
  input: { noticeId: string; actor: Actor & { staffId: string }; now: Date },
): Promise<{ dueAt: Date }> {
  return db.transaction().execute(async (trx) => {
    const n = await lockNotice(trx, input.noticeId);
    if (!n) throw new DomainError('not_found', '그런 통지문이 없습니다.');
    if (n.state !== 'approved') {
      throw new DomainError('invalid_transition', '승인된 통지문만 보낼 수 있습니다.', { state: n.state });
    }
    const t = await lockTakedown(trx, n.takedown_id);
    if (!t) throw new DomainError('takedown_not_found', '그런 삭제 요청이 없습니다.');
    assertTakedownTransition(t.state, 'sent');
    const dueAt = legalDeadline(input.now);
    await updateNotice(trx, n.id, { state: 'sent', sent_at: input.now });
    await updateTakedown(trx, t.id, { state: 'sent', sent_at: input.now, due_at: dueAt }, input.now);
    if (t.case_id !== null) {
      const c = await lockCase(trx, t.case_id);
      if (c) await setCasePurgeAfter(trx, c.id, extendRetention(c.purge_after, input.now));
    }
    await enqueueOutbox(trx, {
      kind: 'desk.notice',
      dedupeKey: `desk.notice:${n.id}`,
      petitionId: null,
      payload: { noticeId: n.id },
      now: input.now,
    });
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: 'desk.notice.send',
      subjectType: 'desk_notice',
      subjectId: n.id,
      after: { takedownId: t.id, dueAt },
    });
    return { dueAt };
  });
}
