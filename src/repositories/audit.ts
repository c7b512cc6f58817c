import type { Executor } from './petitions.js';

export type { AuditEntry } from './writes/audit.js';

/** The newest audit entries first, `limit` of them (1–500), optionally only about one subject. */
export async function listAudit(
  db: Executor,
  options: { limit: number; subjectType?: string; subjectId?: string },
) {
  let q = db.selectFrom('audit_log').selectAll();
  if (options.subjectType) q = q.where('subject_type', '=', options.subjectType);
  if (options.subjectId) q = q.where('subject_id', '=', options.subjectId);
  return q
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(options.limit, 1), 500))
    .execute();
}
