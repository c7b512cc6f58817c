import type { Executor } from '../petitions.js';

/** One staff action as the audit log keeps it. */
export interface AuditEntry {
  /** UTC instant of the action (the use case's `now`). */
  at: Date;
  /** The staff member who acted, or null for the command line. */
  staffId: string | null;
  /** Who, readable: the staff member's email, or 'cli:<os user>'. */
  actor: string;
  /** What, as a dotted verb: 'petition.publish', 'staff.roles', 'settings.policy', … */
  action: string;
  subjectType:
    | 'petition'
    | 'staff'
    | 'settings'
    | 'reject_reason'
    | 'response'
    // the response desk (issue 14)
    | 'desk_case'
    | 'desk_takedown'
    | 'desk_notice'
    | 'desk_evidence'
    | 'desk_settings'
    | 'desk_platform'
    | 'desk_bank'
    | 'desk_hash';
  subjectId: string | null;
  /** Why: the reason the staff member gave (free text), or null. */
  reason?: string | null;
  /** The subject's relevant fields before and after (JSON-serialisable; never passwords or TOTP secrets). */
  before?: unknown;
  after?: unknown;
}

/**
 * Appends one entry to the audit log. Call it with the transaction that makes the change, so that the change and
 * its entry commit together or not at all. The table is append-only: a trigger refuses UPDATE, DELETE and TRUNCATE
 * (migration 2026-11-29T1800).
 */
export async function appendAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      staff_id: entry.staffId,
      actor: entry.actor,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      reason: entry.reason ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}
