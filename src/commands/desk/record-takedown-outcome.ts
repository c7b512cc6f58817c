import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { extendRetention } from '../../domain/desk/retention.js';
import { assertTakedownTransition, extendedDeadline, nextRecheck } from '../../domain/desk/takedowns.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/staff.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { lockCase, lockTakedown, setCasePurgeAfter, updateTakedown } from '../../repositories/writes/desk.js';

/** What an officer records about a takedown after it was sent. */
export const TAKEDOWN_OUTCOMES = ['acknowledged', 'removed', 'refused', 'escalated', 'extended'] as const;
export type TakedownOutcome = (typeof TAKEDOWN_OUTCOMES)[number];

/**
 * Records what happened to a sent takedown: the platform acknowledged it, removed the material (re-upload
 * monitoring starts: `nextRecheck`), refused; the desk escalated a refused or unanswered one; or the platform took
 * its one extension (`extendedDeadline`, 전기통신사업법 art. 22-5). Transitions: domain/desk/takedowns.ts. Audited;
 * the case's retention runs from this event.
 * @throws DomainError('takedown_not_found' | 'invalid_transition' | 'invalid_parameter')
 */
export async function recordTakedownOutcome(
  db: Kysely<Database>,
  input: { takedownId: string; outcome: string; actor: Actor; now: Date; reason?: string },
): Promise<void> {
  const outcome = input.outcome as TakedownOutcome;
  if (!(TAKEDOWN_OUTCOMES as readonly string[]).includes(outcome)) {
    throw new DomainError('invalid_parameter', `결과는 ${TAKEDOWN_OUTCOMES.join(', ')} 중 하나입니다.`, {
      fields: { outcome: TAKEDOWN_OUTCOMES.join(', ') },
    });
  }
  await db.transaction().execute(async (trx) => {
    const t = await lockTakedown(trx, input.takedownId);
    if (!t) throw new DomainError('takedown_not_found', '그런 삭제 요청이 없습니다.');
    const now = input.now;
    let changes: Parameters<typeof updateTakedown>[2];
    if (outcome === 'extended') {
      const dueAt = extendedDeadline({ state: t.state, dueAt: t.due_at, extendedAt: t.extended_at });
      changes = { due_at: dueAt, extended_at: now };
    } else {
      assertTakedownTransition(t.state, outcome);
      changes = { state: outcome };
      if (outcome === 'removed')
        Object.assign(changes, { resolved_at: now, next_recheck_at: nextRecheck(now, 0), rechecks: 0 });
      if (outcome === 'refused') changes.resolved_at = now;
      if (outcome === 'escalated') changes.escalated_at = now;
    }
    await updateTakedown(trx, t.id, changes, now);
    if (t.case_id !== null) {
      const c = await lockCase(trx, t.case_id);
      if (c) await setCasePurgeAfter(trx, c.id, extendRetention(c.purge_after, now));
    }
    await appendAudit(trx, {
      at: now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: `desk.takedown.${outcome}`,
      subjectType: 'desk_takedown',
      subjectId: t.id,
      reason: input.reason ?? null,
      before: { state: t.state, dueAt: t.due_at },
      after: changes,
    });
  });
}
