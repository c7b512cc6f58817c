import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DeskHashIndex } from '../../desk/hash-index.js';
import {
  type BankView,
  type Candidate,
  composeLookupAnswer,
  floodsBank,
  parseMd5,
  searchRadius,
} from '../../domain/desk/banks.js';
import { DomainError } from '../../domain/errors.js';
import { parsePdqHash } from '../../domain/pdq/pdq-hash.js';
import { deskSettings, hashesWithBanks, listBanks } from '../../repositories/desk.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { countRecentMatches, recordMatch, setHashState } from '../../repositories/writes/desk.js';

/** A platform's lookup: one PDQ hash with up to 7 more of the same image's rotations/flips, or one MD5. */
export type LookupQuery = { algorithm: 'pdq'; hashes: unknown[] } | { algorithm: 'md5'; hash: unknown };

/** One match as the API answers it. */
export interface LookupMatch {
  matchId: string;
  hashId: string;
  bank: string;
  algorithm: 'pdq' | 'md5';
  hash: string;
  /** Hamming distance in bits (PDQ; least over the query's forms) or 0 (MD5). */
  distance: number;
}

/** What a lookup answers: every match with its bank and distance, and what suppressed matches, if anything. */
export interface LookupResult {
  algorithm: 'pdq' | 'md5';
  /** The query's hashes as validated (lower-case). */
  query: string[];
  matches: LookupMatch[];
  /** Negative-bank hashes that matched: when any did, `matches` is empty (HMA's negative banks). */
  suppressedBy: Array<{ hashId: string; bank: string; distance: number }>;
  /** Bank hashes held for review by this lookup (flood quarantine): not answered as matches. */
  quarantined: string[];
}

/**
 * Looks a platform's hash up in every active bank: candidates from the in-memory index (PDQ: the multi-index
 * matcher over every form sent, at the largest bank threshold; MD5: exact), confirmed against the database (state
 * active, bank active and not rejected), cut to each bank's own threshold, negative banks applied
 * (`composeLookupAnswer`). Each positive match is recorded once per (platform, bank hash, query hash) — the
 * victim's status page counts them and the platform reports feedback on them — and a bank hash matching more
 * distinct queries than the flood limit within the window is quarantined (held for review, audited) and left out.
 * Writes happen only when something matched.
 * @throws DomainError('invalid_hash') with details.problem (and details.index for the n-th PDQ form);
 *   DomainError('invalid_parameter') for 0 or more than 8 PDQ forms
 */
export async function lookupHash(
  deps: { db: Kysely<Database>; index: DeskHashIndex; now: Date },
  input: { platformId: string; query: LookupQuery },
): Promise<LookupResult> {
  const { db, index, now } = deps;
  const q = input.query;
  let query: string[];
  if (q.algorithm === 'pdq') {
    if (!Array.isArray(q.hashes) || q.hashes.length === 0 || q.hashes.length > 8) {
      throw new DomainError(
        'invalid_parameter',
        'Send one PDQ hash, or up to 8: the rotations and flips of one image.',
        {
          fields: { pdq: '1 to 8 hashes' },
        },
      );
    }
    query = q.hashes.map((h, i) => {
      try {
        return parsePdqHash(h);
      } catch (error) {
        if (error instanceof DomainError) {
          throw new DomainError(error.code, `pdq[${i}]: ${error.message}`, { ...error.details, index: i });
        }
        throw error;
      }
    });
  } else {
    query = [parseMd5(q.hash)];
  }
  const banks = (await listBanks(db)).filter((b) => b.active && b.review_status !== 'rejected');
  const bankById = new Map<string, BankView>(
    banks.map((b) => [b.id, { id: b.id, name: b.name, kind: b.kind, pdqThreshold: b.pdq_threshold }]),
  );
  await index.fresh();
  const found =
    q.algorithm === 'pdq'
      ? index.pdqCandidates(query, searchRadius([...bankById.values()]))
      : index.md5Candidates(query[0] as string).map((hashId) => ({ hashId, distance: 0 }));
  const result: LookupResult = {
    algorithm: q.algorithm,
    query,
    matches: [],
    suppressedBy: [],
    quarantined: [],
  };
  if (found.length === 0) return result;
  const distance = new Map(found.map((f) => [String(f.hashId), f.distance]));
  const rows = await hashesWithBanks(
    db,
    found.map((f) => String(f.hashId)),
  );
  const candidates: Candidate[] = [];
  for (const r of rows) {
    const bank = bankById.get(r.bank_id);
    if (!bank || r.state !== 'active' || r.algorithm !== q.algorithm) continue;
    candidates.push({
      hashId: r.id,
      bank,
      algorithm: r.algorithm,
      hash: r.hash,
      distance: distance.get(r.id) ?? 0,
    });
  }
  const answer = composeLookupAnswer(candidates);
  result.suppressedBy = answer.suppressedBy.map((c) => ({
    hashId: c.hashId,
    bank: c.bank.name,
    distance: c.distance,
  }));
  if (answer.matches.length === 0) return result;
  const queryHash = query[0] as string;
  await db.transaction().execute(async (trx) => {
    const settings = await deskSettings(trx);
    const since = new Date(now.getTime() - settings.flood_window_minutes * 60_000);
    for (const m of answer.matches) {
      const recorded = await recordMatch(trx, {
        platformId: input.platformId,
        hashId: m.hashId,
        queryAlgorithm: q.algorithm,
        queryHash,
        distance: m.distance,
        now,
      });
      if (
        recorded.created &&
        floodsBank(await countRecentMatches(trx, m.hashId, since), settings.flood_limit)
      ) {
        await setHashState(trx, m.hashId, 'quarantined', now);
        await appendAudit(trx, {
          at: now,
          staffId: null,
          actor: 'desk:flood-guard',
          action: 'desk.hash.quarantine',
          subjectType: 'desk_hash',
          subjectId: m.hashId,
          after: { windowMinutes: settings.flood_window_minutes, limit: settings.flood_limit },
        });
        result.quarantined.push(m.hashId);
        continue;
      }
      result.matches.push({
        matchId: recorded.id,
        hashId: m.hashId,
        bank: m.bank.name,
        algorithm: m.algorithm,
        hash: m.hash,
        distance: m.distance,
      });
    }
  });
  if (result.quarantined.length > 0) index.invalidate();
  return result;
}
