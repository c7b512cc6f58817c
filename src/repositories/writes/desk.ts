import { type Insertable, sql, type Transaction } from 'kysely';
import type { DeskEvidenceTable, DeskHashesTable, DeskTakedownsTable } from '../../db/desk-schema.js';
import type { Database } from '../../db/schema.js';
import type { ApiScope, MatchFeedback, NoticeLanguage, PlatformKind } from '../../domain/desk/types.js';
import type { Executor } from '../petitions.js';

/**
 * Writes of the response desk (issue 14). Every function runs in the caller's transaction (commands own them);
 * hash changes take the next `desk_hash_change_seq` value so the platforms' change feed sees them in order.
 */

const nextSeq = sql<string>`nextval('desk_hash_change_seq')`;

/** A new case (the PIN only as its argon2id hash). @returns its id */
export async function insertCase(
  trx: Transaction<Database>,
  c: {
    caseNumber: string;
    pinHash: string;
    priority: 'standard' | 'minor';
    locale: 'ko' | 'en';
    contactEnc: string | null;
    now: Date;
    purgeAfter: Date;
  },
): Promise<string> {
  const row = await trx
    .insertInto('desk_cases')
    .values({
      case_number: c.caseNumber,
      pin_hash: c.pinHash,
      priority: c.priority,
      locale: c.locale,
      contact_enc: c.contactEnc,
      created_at: c.now,
      purge_after: c.purgeAfter,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Locks a case row (FOR UPDATE) by id. */
export function lockCase(trx: Transaction<Database>, id: string) {
  return trx.selectFrom('desk_cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Marks a case withdrawn, with its new end of retention. */
export async function markCaseWithdrawn(
  trx: Transaction<Database>,
  id: string,
  now: Date,
  purgeAfter: Date,
): Promise<void> {
  await trx
    .updateTable('desk_cases')
    .set({ state: 'withdrawn', withdrawn_at: now, purge_after: purgeAfter })
    .where('id', '=', id)
    .execute();
}

/** Sets a case's end of retention (a later event keeps it longer). */
export async function setCasePurgeAfter(
  trx: Transaction<Database>,
  id: string,
  purgeAfter: Date,
): Promise<void> {
  await trx.updateTable('desk_cases').set({ purge_after: purgeAfter }).where('id', '=', id).execute();
}

/** A hash to store (the change sequence and timestamps are set here). */
export type NewDeskHash = Pick<
  Insertable<DeskHashesTable>,
  'bank_id' | 'case_id' | 'algorithm' | 'hash' | 'quality' | 'external_id'
>;

/**
 * Stores hashes, active, each with the next change sequence; one already in the bank (same algorithm, hash and
 * case) is made active again instead of stored twice.
 * @returns the ids of the stored rows (new or re-activated)
 */
export async function upsertHashes(
  trx: Transaction<Database>,
  rows: NewDeskHash[],
  now: Date,
): Promise<string[]> {
  const ids: string[] = [];
  for (const r of rows) {
    const existing = await trx
      .selectFrom('desk_hashes')
      .select(['id', 'state'])
      .where('bank_id', '=', r.bank_id)
      .where('algorithm', '=', r.algorithm)
      .where('hash', '=', r.hash)
      .where(sql<boolean>`coalesce(case_id, 0) = ${r.case_id ?? 0}`)
      .forUpdate()
      .executeTakeFirst();
    if (existing) {
      if (existing.state === 'inactive') {
        await trx
          .updateTable('desk_hashes')
          .set({ state: 'active', change_seq: nextSeq, changed_at: now, quality: r.quality ?? null })
          .where('id', '=', existing.id)
          .execute();
      }
      ids.push(existing.id);
      continue;
    }
    const inserted = await trx
      .insertInto('desk_hashes')
      .values({ ...r, change_seq: nextSeq, created_at: now, changed_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(inserted.id);
  }
  return ids;
}

/**
 * Deactivates every hash of a case that is not already inactive (withdrawal), each with a new change sequence so
 * platforms that match locally see the deletion.
 * @returns how many were deactivated
 */
export async function deactivateCaseHashes(
  trx: Transaction<Database>,
  caseId: string,
  now: Date,
): Promise<number> {
  const rows = await trx
    .updateTable('desk_hashes')
    .set({ state: 'inactive', change_seq: nextSeq, changed_at: now })
    .where('case_id', '=', caseId)
    .where('state', '!=', 'inactive')
    .returning('id')
    .execute();
  return rows.length;
}

/** Sets one hash's state (quarantine, release, deactivation) with a new change sequence. */
export async function setHashState(
  trx: Transaction<Database>,
  hashId: string,
  state: 'active' | 'quarantined' | 'inactive',
  now: Date,
): Promise<void> {
  await trx
    .updateTable('desk_hashes')
    .set({ state, change_seq: nextSeq, changed_at: now })
    .where('id', '=', hashId)
    .execute();
}

/** A new bank. @returns its id */
export async function insertBank(
  trx: Transaction<Database>,
  b: {
    name: string;
    provenance: 'victim_submitted' | 'authority_reviewed' | 'partner_exchange';
    reviewStatus: 'unreviewed' | 'reviewed' | 'rejected';
    kind: 'positive' | 'negative';
    pdqThreshold: number;
    now: Date;
  },
): Promise<string> {
  const row = await trx
    .insertInto('desk_banks')
    .values({
      name: b.name,
      provenance: b.provenance,
      review_status: b.reviewStatus,
      kind: b.kind,
      pdq_threshold: b.pdqThreshold,
      created_at: b.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A new platform. @returns its id */
export async function insertPlatform(
  trx: Transaction<Database>,
  p: { name: string; kind: PlatformKind; jurisdiction: string | null; noticeEmail: string | null; now: Date },
): Promise<string> {
  const row = await trx
    .insertInto('desk_platforms')
    .values({
      name: p.name,
      kind: p.kind,
      jurisdiction: p.jurisdiction,
      notice_email: p.noticeEmail,
      created_at: p.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A new API key (its SHA-256 only). @returns its id */
export async function insertApiKey(
  trx: Transaction<Database>,
  k: { platformId: string; keyHash: string; scopes: ApiScope[]; requestsPerMinute: number; now: Date },
): Promise<string> {
  const row = await trx
    .insertInto('desk_api_keys')
    .values({
      platform_id: k.platformId,
      key_hash: k.keyHash,
      scopes: k.scopes,
      requests_per_minute: k.requestsPerMinute,
      created_at: k.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Revokes an API key. @returns whether a live key was revoked */
export async function revokeApiKey(trx: Transaction<Database>, keyId: string, now: Date): Promise<boolean> {
  const rows = await trx
    .updateTable('desk_api_keys')
    .set({ revoked_at: now })
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** Records one platform API request (the keys' audit trail). Runs outside any transaction of the request. */
export async function insertApiRequest(
  db: Executor,
  r: { at: Date; platformId: string | null; keyId: string | null; endpoint: string; status: number },
): Promise<void> {
  await db
    .insertInto('desk_api_requests')
    .values({ at: r.at, platform_id: r.platformId, key_id: r.keyId, endpoint: r.endpoint, status: r.status })
    .execute();
}

/**
 * Records a match (one per platform, bank hash and query hash; a repeated lookup keeps the first).
 * @returns the match id and whether it is new
 */
export async function recordMatch(
  trx: Transaction<Database>,
  m: {
    platformId: string;
    hashId: string;
    queryAlgorithm: 'pdq' | 'md5';
    queryHash: string;
    distance: number;
    now: Date;
  },
): Promise<{ id: string; created: boolean }> {
  const inserted = await trx
    .insertInto('desk_matches')
    .values({
      platform_id: m.platformId,
      hash_id: m.hashId,
      query_algorithm: m.queryAlgorithm,
      query_hash: m.queryHash,
      distance: m.distance,
      matched_at: m.now,
    })
    .onConflict((oc) => oc.columns(['platform_id', 'hash_id', 'query_hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const row = await trx
    .selectFrom('desk_matches')
    .select('id')
    .where('platform_id', '=', m.platformId)
    .where('hash_id', '=', m.hashId)
    .where('query_hash', '=', m.queryHash)
    .executeTakeFirstOrThrow();
  return { id: row.id, created: false };
}

/** Distinct query hashes that matched `hashId` since `since` (for flood quarantine). */
export async function countRecentMatches(
  trx: Transaction<Database>,
  hashId: string,
  since: Date,
): Promise<number> {
  const row = await trx
    .selectFrom('desk_matches')
    .select((eb) => eb.fn.count<string>('query_hash').distinct().as('n'))
    .where('hash_id', '=', hashId)
    .where('matched_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Sets a platform's feedback on one of its own matches.
 * @returns the match's hash id, or undefined when the platform has no such match
 */
export async function setMatchFeedback(
  trx: Transaction<Database>,
  m: { matchId: string; platformId: string; feedback: MatchFeedback; now: Date },
): Promise<string | undefined> {
  const row = await trx
    .updateTable('desk_matches')
    .set({ feedback: m.feedback, feedback_at: m.now })
    .where('id', '=', m.matchId)
    .where('platform_id', '=', m.platformId)
    .returning('hash_id')
    .executeTakeFirst();
  return row?.hash_id;
}

/** A new takedown request. @returns its id */
export async function insertTakedown(
  trx: Transaction<Database>,
  t: Pick<
    Insertable<DeskTakedownsTable>,
    'case_id' | 'url' | 'site' | 'platform_id' | 'jurisdiction' | 'language' | 'reupload_of'
  > & { now: Date },
): Promise<string> {
  const { now, ...rest } = t;
  const row = await trx
    .insertInto('desk_takedowns')
    .values({ ...rest, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Locks a takedown row (FOR UPDATE). */
export function lockTakedown(trx: Transaction<Database>, id: string) {
  return trx.selectFrom('desk_takedowns').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Changes a locked takedown. */
export async function updateTakedown(
  trx: Transaction<Database>,
  id: string,
  changes: Partial<
    Pick<
      Insertable<DeskTakedownsTable>,
      | 'state'
      | 'sent_at'
      | 'due_at'
      | 'extended_at'
      | 'resolved_at'
      | 'escalated_at'
      | 'next_recheck_at'
      | 'rechecks'
    >
  >,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('desk_takedowns')
    .set({ ...changes, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Takedowns whose answer is owed and whose deadline has come, locked SKIP LOCKED (the scheduler's candidates). */
export function lockTakedownsPastDeadline(trx: Transaction<Database>, now: Date, limit: number) {
  return trx
    .selectFrom('desk_takedowns')
    .select(['id', 'state', 'due_at', 'case_id'])
    .where('state', 'in', ['sent', 'acknowledged'])
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** A new notice draft. @returns its id */
export async function insertNotice(
  trx: Transaction<Database>,
  n: {
    takedownId: string;
    language: NoticeLanguage;
    recipient: string;
    subject: string;
    body: string;
    draftedBy: string | null;
    now: Date;
  },
): Promise<string> {
  const row = await trx
    .insertInto('desk_notices')
    .values({
      takedown_id: n.takedownId,
      language: n.language,
      recipient: n.recipient,
      subject: n.subject,
      body: n.body,
      drafted_by: n.draftedBy,
      created_at: n.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Locks a notice (FOR UPDATE). */
export function lockNotice(trx: Transaction<Database>, id: string) {
  return trx.selectFrom('desk_notices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Changes a locked notice. */
export async function updateNotice(
  trx: Transaction<Database>,
  id: string,
  changes: {
    state?: 'draft' | 'approved' | 'sent';
    recipient?: string;
    subject?: string;
    body?: string;
    approved_by?: string;
    approved_at?: Date;
    sent_at?: Date;
  },
): Promise<void> {
  await trx.updateTable('desk_notices').set(changes).where('id', '=', id).execute();
}

/** Appends an evidence record (the table refuses updates). @returns its id */
export async function insertEvidence(
  trx: Transaction<Database>,
  e: Pick<
    Insertable<DeskEvidenceTable>,
    | 'takedown_id'
    | 'url'
    | 'captured_at'
    | 'sha256'
    | 'recorded_by'
    | 'staff_id'
    | 'content_enc'
    | 'purge_after'
  >,
): Promise<string> {
  const row = await trx.insertInto('desk_evidence').values(e).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Changes the desk's settings (one row). */
export async function updateDeskSettings(
  trx: Transaction<Database>,
  changes: { capture_storage?: boolean; flood_window_minutes?: number; flood_limit?: number },
  now: Date,
): Promise<void> {
  await trx
    .updateTable('desk_settings')
    .set({ ...changes, updated_at: now })
    .where('id', '=', true)
    .execute();
}

/**
 * The retention purge, in the caller's transaction: deletes evidence, takedowns without a case and cases (with all
 * of theirs: hashes, matches, takedowns, notices, evidence) whose `purge_after` has come. Only this transaction may
 * delete evidence (`cheongwon.desk_purge`, migration 2026-12-07T1400).
 * @returns the ids of the purged cases and how many evidence records went
 */
export async function purgeExpiredDeskRecords(
  trx: Transaction<Database>,
  now: Date,
  /** Takedowns without a case last changed at or before this instant go too (now minus the retention period). */
  orphanCutoff: Date,
  limit: number,
): Promise<{ cases: string[]; evidence: number; takedowns: number }> {
  await sql`select set_config('cheongwon.desk_purge', 'on', true)`.execute(trx);
  const evidence = await trx
    .deleteFrom('desk_evidence')
    .where('purge_after', '<=', now)
    .returning('id')
    .execute();
  const cases = await trx
    .selectFrom('desk_cases')
    .select('id')
    .where('purge_after', '<=', now)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  const ids = cases.map((c) => c.id);
  if (ids.length > 0) await trx.deleteFrom('desk_cases').where('id', 'in', ids).execute();
  const takedowns = await trx
    .deleteFrom('desk_takedowns')
    .where('case_id', 'is', null)
    .where('updated_at', '<=', orphanCutoff)
    .returning('id')
    .execute();
  await sql`select set_config('cheongwon.desk_purge', 'off', true)`.execute(trx);
  return { cases: ids, evidence: evidence.length, takedowns: takedowns.length };
}
