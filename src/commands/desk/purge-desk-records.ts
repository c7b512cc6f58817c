import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { RETENTION_YEARS } from '../../domain/desk/retention.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { purgeExpiredDeskRecords } from '../../repositories/writes/desk.js';
import { SCHEDULER_ACTOR } from '../steps/scheduler-audit.js';

/**
 * The retention purge (domain/desk/retention.ts: 3 years): deletes cases whose `purge_after` has come with all of
 * theirs (hashes, matches, takedowns, notices, evidence), evidence past its own end, and takedowns without a case
 * unchanged for the retention period. Run by the lifecycle scheduler with its clock; one transaction per batch,
 * with one audit entry naming how much went (never what it was).
 * @returns the purged case ids (at most `limit`) and counts
 */
export async function purgeDeskRecords(
  db: Kysely<Database>,
  now: Date,
  limit: number,
): Promise<{ cases: string[]; evidence: number; takedowns: number }> {
  return db.transaction().execute(async (trx) => {
    const orphanCutoff = new Date(now.getTime());
    orphanCutoff.setUTCFullYear(orphanCutoff.getUTCFullYear() - RETENTION_YEARS);
    const purged = await purgeExpiredDeskRecords(trx, now, orphanCutoff, limit);
    if (purged.cases.length + purged.evidence + purged.takedowns > 0) {
      await appendAudit(trx, {
        at: now,
        staffId: null,
        actor: SCHEDULER_ACTOR,
        action: 'desk.retention.purge',
        subjectType: 'desk_settings',
        subjectId: null,
        after: { cases: purged.cases.length, evidence: purged.evidence, takedowns: purged.takedowns },
      });
    }
    return purged;
  });
}
