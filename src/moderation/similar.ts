import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { PETITION_STATES, PUBLIC_STATES } from '../domain/petition-states.js';
import { likePattern } from '../repositories/petitions.js';

const STAFF_VISIBLE_STATES = PETITION_STATES.filter((s) => s !== 'draft' && s !== 'removed');

export interface SimilarPetition {
  id: string;
  title: string;
  state: string;
  publicCount: number;
  /** Share of the query title's word weight found in this title (0–1), plus a small pg_trgm similarity tie-break. */
  score: number;
}

/** Titles a word may match before it counts as too common to find candidates with (it still weighs in the score). */
const COMMON_WORD_CAP = 2000;
/** Candidates scored per call (titles matching one of the query's distinctive words). */
const MAX_CANDIDATES = 3000;

/** Korean particles (조사) a title word may end with: '공개를' and '공개' are the same word for finding petitions. */
const PARTICLES = /(에서|에게|으로|이나|까지|부터|의|을|를|은|는|이|가|에|와|과|도|로|만)$/u;

/**
 * Words of a title: NFKC, lower-cased, runs of letters and digits, a trailing Korean particle dropped from words of
 * three or more characters; words of two characters or more, at most 12.
 */
export function titleWords(title: string): string[] {
  const runs =
    title
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const words = runs.map((w) => (w.length >= 3 ? w.replace(PARTICLES, '') : w)).filter((w) => w.length >= 2);
  return [...new Set(words)].slice(0, 12);
}

/**
 * Petitions whose title is close to `title` — near-duplicates such as the ~100 Telegram "Room N" (n번방) petitions
 * of 2020, whose titles share one rare word ('n번방', '텔레그램') but differ otherwise ("…신상공개를 원합니다",
 * "…특검을 청원합니다"). Whole-title trigram similarity misses them (the common endings outweigh the rare word) so
 * the score weighs words by rarity:
 *  1. each title word of 3+ characters is counted in stored titles with a trigram-indexed ILIKE (pg_trgm GIN index
 *     on titles), capped at 2,000 — its weight is ln(1 + 2000 / count): rare words weigh most;
 *  2. candidates are titles containing one of the words seen fewer than 2,000 times (same index);
 *  3. score = weight of the query's words found in the candidate / weight of all its words, plus 0.1 × pg_trgm
 *     `similarity(title, query)` so that closer wording ranks first among equals.
 * Used by the review page and by the petition creation form (to point people to an existing petition).
 * @param input.body accepted for the creation form's call; not used in the score yet (titles carry the topic)
 * @param limit 1–100 rows, best first; only rows with score ≥ 0.3 (a third of the title's weight)
 * @param input.excludeId a petition to leave out (the one under review)
 * @param input.includeUnpublished also petitions in review, rejected or hidden (staff pages only); default: only
 *   public ones (`PUBLIC_STATES`), so the public creation form never reveals an unpublished petition
 */
export async function similarPetitions(
  db: Kysely<Database>,
  input: { title: string; body?: string | null; excludeId?: string; includeUnpublished?: boolean },
  limit: number,
): Promise<SimilarPetition[]> {
  const title = input.title.normalize('NFKC').trim();
  const words = titleWords(title);
  if (words.length === 0) return [];
  const weight = new Map<string, number>();
  const rare: string[] = [];
  for (const word of words) {
    if (word.length < 3) {
      weight.set(word, Math.log(2)); // too short to count by index: as common
      continue;
    }
    const counted = await sql<{ n: string }>`
      select count(*) as n from (select 1 from petitions where title ilike ${likePattern(word)}
                                 limit ${COMMON_WORD_CAP}) x`.execute(db);
    const n = Math.max(Number(counted.rows[0]?.n ?? 0), 1);
    weight.set(word, Math.log(1 + COMMON_WORD_CAP / n));
    if (n < COMMON_WORD_CAP) rare.push(word);
  }
  if (rare.length === 0) return [];
  let q = db
    .selectFrom('petitions')
    .select(['id', 'title', 'state', 'public_count', sql<number>`similarity(title, ${title})`.as('trgm')])
    .where((eb) => eb.or(rare.map((w) => eb('title', 'ilike', likePattern(w)))))
    .where('state', 'in', input.includeUnpublished ? STAFF_VISIBLE_STATES : [...PUBLIC_STATES]);
  if (input.excludeId) q = q.where('id', '<>', input.excludeId);
  const candidates = await q.limit(MAX_CANDIDATES).execute();
  const total = [...weight.values()].reduce((a, b) => a + b, 0);
  return candidates
    .map((c) => {
      const own = c.title.normalize('NFKC').toLowerCase();
      const found = words.reduce((sum, w) => sum + (own.includes(w) ? (weight.get(w) ?? 0) : 0), 0);
      return {
        id: c.id,
        title: c.title,
        state: c.state,
        publicCount: c.public_count,
        score: found / total + 0.1 * Number(c.trgm),
      };
    })
    .filter((c) => c.score >= 0.3)
    .sort((a, b) => b.score - a.score || Number(b.id) - Number(a.id))
    .slice(0, Math.min(Math.max(Math.trunc(limit), 1), 100));
}
