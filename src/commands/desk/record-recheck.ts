import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { nextRecheck } from '../../domain/desk/takedowns.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/staff.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { lockTakedown, updateTakedown } from '../../repositories/writes/desk.js';
import { draftTakedown } from './steps/draft-takedown.js';

/**
 * Re-upload monitoring: an officer looked at a removed URL again. Still gone: the next look is scheduled
 * (`nextRecheck`; none after the last). Back again: a new takedown is drafted for it (`reupload_of` pointing
 * here), and the schedule goes on. Audited.
 * @returns the new takedown's id when the material was back
 * @throws DomainError('takedown_not_found'), ('invalid_transition') when the takedown is not removed and monitored
 */
export async function recordRecheck(
  db: Kysely<Database>,
  input: { takedownId: string; foundAgain: boolean; operatorName: string; actor: Actor; now: Date },
): Promise<{ reuploadTakedownId: string | null; nextRecheckAt: Date | null }> {
  return db.transaction().execute(async (trx) => {
    const t = await lockTakedown(trx, input.takedownId);
    if (!t) throw new DomainError('takedown_not_found', '그런 삭제 요청이 없습니다.');
    if (t.state !== 'removed' || t.next_recheck_at === null || t.resolved_at === null) {
      throw new DomainError(
        'invalid_transition',
        '재게시 확인은 삭제된 뒤 확인 일정이 남은 요청에만 합니다.',
      );
    }
    const rechecks = t.rechecks + 1;
    const next = nextRecheck(t.resolved_at, rechecks);
    await updateTakedown(trx, t.id, { rechecks, next_recheck_at: next }, input.now);
    let reuploadTakedownId: string | null = null;
    if (input.foundAgain) {
      const made = await draftTakedown(trx, {
        url: t.url,
        site: t.site,
        caseId: t.case_id,
        platformId: t.platform_id,
        jurisdiction: t.jurisdiction,
        language: t.language,
        reuploadOf: t.id,
        operatorName: input.operatorName,
        draftedBy: input.actor.staffId,
        now: input.now,
      });
      reuploadTakedownId = made.takedownId;
    }
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: input.foundAgain ? 'desk.takedown.reupload_found' : 'desk.takedown.recheck_clear',
      subjectType: 'desk_takedown',
      subjectId: t.id,
      after: { rechecks, nextRecheckAt: next, reuploadTakedownId },
    });
    return { reuploadTakedownId, nextRecheckAt: next };
  });
}
