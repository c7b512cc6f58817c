/**
 * Invalidation requests and their public statements, the reads (issue 13; writes in
 * repositories/writes/invalidations.ts).
 */
import type { Executor } from './petitions.js';

/** One invalidation request as stored. */
export interface InvalidationRow {
  id: string;
  petition_id: string;
  filter: string;
  criteria_class: string;
  reason_code: number;
  state: 'requested' | 'running' | 'done' | 'cancelled' | 'rejected';
  planned: number;
  applied: number;
  requested_by: string;
  requested_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  ended_at: Date | null;
  statement_text: string | null;
  statement_idx: string | null;
}

export const INVALIDATION_COLUMNS = [
  'id',
  'petition_id',
  'filter',
  'criteria_class',
  'reason_code',
  'state',
  'planned',
  'applied',
  'requested_by',
  'requested_at',
  'approved_by',
  'approved_at',
  'ended_at',
  'statement_text',
  'statement_idx',
] as const;

/** Reads one request (no lock). */
export async function findInvalidation(db: Executor, id: string): Promise<InvalidationRow | undefined> {
  return await db
    .selectFrom('invalidations')
    .select(INVALIDATION_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Requests of a petition, newest first (staff pages; the public page reads `listPublicStatements`). */
export async function listInvalidations(db: Executor, petitionId?: string): Promise<InvalidationRow[]> {
  let q = db.selectFrom('invalidations').select(INVALIDATION_COLUMNS).orderBy('id', 'desc').limit(200);
  if (petitionId) q = q.where('petition_id', '=', petitionId);
  return await q.execute();
}

/** The public statements of a petition's invalidations (approved ones only): no filter, no staff, no agreement. */
export interface PublicStatement {
  invalidationId: string;
  approvedAt: Date;
  planned: number;
  applied: number;
  state: 'running' | 'done' | 'cancelled';
  reasonCode: number;
  criteriaClass: string;
  statementText: string;
  statementIndex: number | null;
}

export async function listPublicStatements(db: Executor, petitionId: string): Promise<PublicStatement[]> {
  const rows = await db
    .selectFrom('invalidations')
    .select(INVALIDATION_COLUMNS)
    .where('petition_id', '=', petitionId)
    .where('approved_at', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    invalidationId: r.id,
    approvedAt: r.approved_at as Date,
    planned: r.planned,
    applied: r.applied,
    state: r.state as PublicStatement['state'],
    reasonCode: r.reason_code,
    criteriaClass: r.criteria_class,
    statementText: r.statement_text ?? '',
    statementIndex: r.statement_idx === null ? null : Number(r.statement_idx),
  }));
}
