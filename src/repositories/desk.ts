import { sql } from 'kysely';
import type { HashAlgorithm } from '../domain/desk/types.js';
import type { Executor } from './petitions.js';

/**
 * Reads of the response desk (issue 14). None returns a PIN hash or contact except where named
 * (`caseForPinCheck`, `caseContact`); the victim-facing status read never returns another case's rows.
 */

/** A case by its number, with what checking the PIN needs. */
export function caseForPinCheck(db: Executor, caseNumber: string) {
  return db
    .selectFrom('desk_cases')
    .select(['id', 'pin_hash', 'state', 'priority', 'locale', 'created_at', 'withdrawn_at'])
    .where('case_number', '=', caseNumber)
    .executeTakeFirst();
}

/** A case's encrypted counsellor contact (staff pages only; every view is audited by the command that reads it). */
export async function caseContact(db: Executor, caseId: string): Promise<string | null> {
  const row = await db
    .selectFrom('desk_cases')
    .select('contact_enc')
    .where('id', '=', caseId)
    .executeTakeFirst();
  return row?.contact_enc ?? null;
}

/** What the victim's status page shows and staff see of a case: counts and takedowns, no hashes. */
export async function caseStatus(db: Executor, caseId: string) {
  const c = await db
    .selectFrom('desk_cases')
    .select(['id', 'case_number', 'state', 'priority', 'locale', 'created_at', 'withdrawn_at', 'purge_after'])
    .select((eb) => eb('contact_enc', 'is not', null).as('contact_requested'))
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!c) return undefined;
  const hashes = await db
    .selectFrom('desk_hashes')
    .select(['algorithm', 'state'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('case_id', '=', caseId)
    .groupBy(['algorithm', 'state'])
    .execute();
  const matches = await db
    .selectFrom('desk_matches')
    .innerJoin('desk_hashes', 'desk_hashes.id', 'desk_matches.hash_id')
    .select('desk_matches.feedback')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('desk_hashes.case_id', '=', caseId)
    .groupBy('desk_matches.feedback')
    .execute();
  const takedowns = await db
    .selectFrom('desk_takedowns')
    .select(['id', 'url', 'site', 'state', 'sent_at', 'due_at', 'extended_at', 'resolved_at', 'created_at'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return {
    ...c,
    hashes: hashes.map((h) => ({ algorithm: h.algorithm, state: h.state, count: Number(h.n) })),
    matches: matches.map((m) => ({ feedback: m.feedback, count: Number(m.n) })),
    takedowns,
  };
}

/** Cases for the staff list: newest first, the under-18 track first among the active ones. */
export function listCases(db: Executor, limit: number) {
  return db
    .selectFrom('desk_cases')
    .select(['id', 'case_number', 'state', 'priority', 'created_at', 'withdrawn_at'])
    .select((eb) => eb('contact_enc', 'is not', null).as('contact_requested'))
    .orderBy(sql`case when state = 'active' and priority = 'minor' then 0 else 1 end`)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Active banks as lookups see them. */
export function listBanks(db: Executor) {
  return db
    .selectFrom('desk_banks')
    .select(['id', 'name', 'provenance', 'review_status', 'kind', 'pdq_threshold', 'active'])
    .orderBy('id')
    .execute();
}

/** A bank by name. */
export function bankByName(db: Executor, name: string) {
  return db.selectFrom('desk_banks').selectAll().where('name', '=', name).executeTakeFirst();
}

/** One entry of the matching index: an active hash in an active bank. */
export interface IndexEntry {
  id: string;
  bank_id: string;
  algorithm: HashAlgorithm;
  hash: string;
  state: 'active' | 'quarantined' | 'inactive';
  change_seq: string;
}

/**
 * Hash changes after `afterSeq` in change order (`limit` at most), every state — what the in-memory index and the
 * platforms' change feed both read. A hash of an inactive bank reads as inactive.
 */
export async function hashChangesAfter(db: Executor, afterSeq: string, limit: number): Promise<IndexEntry[]> {
  const rows = await db
    .selectFrom('desk_hashes')
    .innerJoin('desk_banks', 'desk_banks.id', 'desk_hashes.bank_id')
    .select([
      'desk_hashes.id',
      'desk_hashes.bank_id',
      'desk_hashes.algorithm',
      'desk_hashes.hash',
      'desk_hashes.change_seq',
    ])
    .select(
      sql<
        'active' | 'quarantined' | 'inactive'
      >`case when desk_banks.active then desk_hashes.state else 'inactive' end`.as('state'),
    )
    .where('desk_hashes.change_seq', '>', afterSeq)
    .orderBy('desk_hashes.change_seq')
    .limit(limit)
    .execute();
  return rows as IndexEntry[];
}

/** The change feed for platforms: like `hashChangesAfter`, with quality, bank name and time. */
export function hashFeedAfter(db: Executor, afterSeq: string, limit: number) {
  return db
    .selectFrom('desk_hashes')
    .innerJoin('desk_banks', 'desk_banks.id', 'desk_hashes.bank_id')
    .select([
      'desk_hashes.id',
      'desk_hashes.algorithm',
      'desk_hashes.hash',
      'desk_hashes.quality',
      'desk_hashes.change_seq',
      'desk_hashes.changed_at',
      'desk_banks.name as bank',
      'desk_banks.kind as bank_kind',
    ])
    .select(
      sql<boolean>`desk_banks.active and desk_hashes.state = 'active' and desk_banks.review_status <> 'rejected'`.as(
        'active',
      ),
    )
    .where('desk_hashes.change_seq', '>', afterSeq)
    .orderBy('desk_hashes.change_seq')
    .limit(limit)
    .execute();
}

/** Hashes by id with their bank (to answer a lookup from the index's ids). */
export function hashesWithBanks(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('desk_hashes')
    .innerJoin('desk_banks', 'desk_banks.id', 'desk_hashes.bank_id')
    .select([
      'desk_hashes.id',
      'desk_hashes.algorithm',
      'desk_hashes.hash',
      'desk_hashes.state',
      'desk_banks.id as bank_id',
      'desk_banks.name as bank_name',
      'desk_banks.kind as bank_kind',
      'desk_banks.pdq_threshold',
      'desk_banks.active as bank_active',
      'desk_banks.review_status',
    ])
    .where('desk_hashes.id', 'in', ids)
    .execute();
}

/** The exact MD5 / PDQ rows equal to `hash` (MD5 lookups need no index). */
export function exactHashes(db: Executor, algorithm: HashAlgorithm, hash: string) {
  return db
    .selectFrom('desk_hashes')
    .select('id')
    .where('algorithm', '=', algorithm)
    .where('hash', '=', hash)
    .where('state', '=', 'active')
    .execute();
}

/** An API key by its SHA-256 hex, with its platform. */
export function apiKeyByHash(db: Executor, keyHash: string) {
  return db
    .selectFrom('desk_api_keys')
    .innerJoin('desk_platforms', 'desk_platforms.id', 'desk_api_keys.platform_id')
    .select([
      'desk_api_keys.id',
      'desk_api_keys.platform_id',
      'desk_api_keys.scopes',
      'desk_api_keys.requests_per_minute',
      'desk_api_keys.revoked_at',
      'desk_platforms.name as platform_name',
    ])
    .where('desk_api_keys.key_hash', '=', keyHash)
    .executeTakeFirst();
}

/** Platforms by name order. */
export function listPlatforms(db: Executor) {
  return db.selectFrom('desk_platforms').selectAll().orderBy('name').execute();
}

/** A platform by name. */
export function platformByName(db: Executor, name: string) {
  return db.selectFrom('desk_platforms').selectAll().where('name', '=', name).executeTakeFirst();
}

/** The desk's settings (one row). */
export function deskSettings(db: Executor) {
  return db.selectFrom('desk_settings').selectAll().executeTakeFirstOrThrow();
}

/** Every takedown that is not finished for good, for the staff queue (the domain orders it). */
export function takedownQueue(db: Executor, limit: number) {
  return db
    .selectFrom('desk_takedowns')
    .leftJoin('desk_cases', 'desk_cases.id', 'desk_takedowns.case_id')
    .leftJoin('desk_platforms', 'desk_platforms.id', 'desk_takedowns.platform_id')
    .select([
      'desk_takedowns.id',
      'desk_takedowns.case_id',
      'desk_takedowns.url',
      'desk_takedowns.site',
      'desk_takedowns.jurisdiction',
      'desk_takedowns.language',
      'desk_takedowns.state',
      'desk_takedowns.sent_at',
      'desk_takedowns.due_at',
      'desk_takedowns.extended_at',
      'desk_takedowns.next_recheck_at',
      'desk_takedowns.created_at',
      'desk_cases.priority',
      'desk_platforms.name as platform_name',
    ])
    .where((eb) =>
      eb.or([
        eb('desk_takedowns.state', 'not in', ['removed', 'refused', 'escalated']),
        eb('desk_takedowns.next_recheck_at', 'is not', null),
      ]),
    )
    .orderBy('desk_takedowns.id')
    .limit(limit)
    .execute();
}

/** One takedown with its platform. */
export function takedownById(db: Executor, id: string) {
  return db
    .selectFrom('desk_takedowns')
    .leftJoin('desk_platforms', 'desk_platforms.id', 'desk_takedowns.platform_id')
    .selectAll('desk_takedowns')
    .select(['desk_platforms.name as platform_name', 'desk_platforms.notice_email'])
    .where('desk_takedowns.id', '=', id)
    .executeTakeFirst();
}

/** A takedown's notices, oldest first. */
export function noticesForTakedown(db: Executor, takedownId: string) {
  return db
    .selectFrom('desk_notices')
    .selectAll()
    .where('takedown_id', '=', takedownId)
    .orderBy('id')
    .execute();
}

/** A takedown's evidence records (without the stored content), oldest first. */
export function evidenceForTakedown(db: Executor, takedownId: string) {
  return db
    .selectFrom('desk_evidence')
    .select(['id', 'url', 'captured_at', 'sha256', 'recorded_by'])
    .select((eb) => eb('content_enc', 'is not', null).as('content_stored'))
    .where('takedown_id', '=', takedownId)
    .orderBy('id')
    .execute();
}

/** One evidence record with its encrypted content (the command that calls it audits the read). */
export function evidenceContent(db: Executor, id: string) {
  return db
    .selectFrom('desk_evidence')
    .select(['id', 'takedown_id', 'content_enc'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A notice by id. */
export function noticeById(db: Executor, id: string) {
  return db.selectFrom('desk_notices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Hashes of a bank for export, active only, in id order (`afterId` pages). */
export function bankHashesForExport(db: Executor, bankId: string, afterId: string, limit: number) {
  return db
    .selectFrom('desk_hashes')
    .select(['id', 'algorithm', 'hash', 'quality', 'external_id', 'created_at'])
    .where('bank_id', '=', bankId)
    .where('state', '=', 'active')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * The yearly transparency report's aggregates for [from, to) (UTC instants): counts only, no case, URL or hash.
 */
export async function transparencyAggregates(db: Executor, from: Date, to: Date) {
  const cases = await db
    .selectFrom('desk_cases')
    .select('priority')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .groupBy('priority')
    .execute();
  const hashes = await db
    .selectFrom('desk_hashes')
    .select('algorithm')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .groupBy('algorithm')
    .execute();
  const matches = await db
    .selectFrom('desk_matches')
    .innerJoin('desk_platforms', 'desk_platforms.id', 'desk_matches.platform_id')
    .select(['desk_platforms.kind', 'desk_matches.feedback'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('desk_matches.matched_at', '>=', from)
    .where('desk_matches.matched_at', '<', to)
    .groupBy(['desk_platforms.kind', 'desk_matches.feedback'])
    .execute();
  const takedowns = await db
    .selectFrom('desk_takedowns')
    .leftJoin('desk_platforms', 'desk_platforms.id', 'desk_takedowns.platform_id')
    .select([sql<string>`coalesce(desk_platforms.kind, 'unknown')`.as('kind'), 'desk_takedowns.state'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .select(
      sql<
        number | null
      >`percentile_cont(0.5) within group (order by extract(epoch from (desk_takedowns.resolved_at - desk_takedowns.sent_at)) / 3600) filter (where desk_takedowns.state = 'removed' and desk_takedowns.sent_at is not null)`.as(
        'median_hours',
      ),
    )
    .where('desk_takedowns.created_at', '>=', from)
    .where('desk_takedowns.created_at', '<', to)
    .groupBy([sql`coalesce(desk_platforms.kind, 'unknown')`, 'desk_takedowns.state'])
    .execute();
  return {
    cases: cases.map((r) => ({ priority: r.priority, count: Number(r.n) })),
    hashes: hashes.map((r) => ({ algorithm: r.algorithm, count: Number(r.n) })),
    matches: matches.map((r) => ({ platformKind: r.kind, feedback: r.feedback, count: Number(r.n) })),
    takedowns: takedowns.map((r) => ({
      platformKind: r.kind,
      state: r.state,
      count: Number(r.n),
      medianHoursToRemoval: r.median_hours === null ? null : Number(r.median_hours),
    })),
  };
}
