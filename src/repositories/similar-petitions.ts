import { sql } from 'kysely';
import { PUBLIC_STATES, STAFF_VISIBLE_STATES } from '../domain/petition-states.js';
import {
  COMMON_WORD_CAP,
  SIMILAR_MIN_SCORE,
  similarityScore,
  titleWords,
  wordWeight,
} from '../domain/similar-titles.js';
import { type Executor, likePattern } from './petitions.js';

export interface SimilarPetition {
  id: string;
  title: string;
  state: string;
  publicCount: number;
  /** Share of the query title's word weight found in this title (0–1), plus a small pg_trgm similarity tie-break. */
  score: number;
}

/** Candidates scored per call (titles matching one of the query's distinctive words). */
const MAX_CANDIDATES = 3000;

/**
 * Petitions whose title is close to `title` — near-duplicates such as the ~100 Telegram "Room N" (n번방) petitions
 * of 2020, whose titles share one rare word ('n번방', '텔레그램') but differ otherwise ("…신상공개를 원합니다",
 * "…특검을 청원합니다"). Whole-title trigram similarity misses them (the common endings outweigh the rare word) so
 * the score weighs words by rarity (domain/similar-titles.ts):
 *  1. each title word of 3+ characters is counted in stored titles with a trigram-indexed ILIKE (pg_trgm GIN index
 *     on titles), capped at 2,000 — its weight is ln(1 + 2000 / count): rare words weigh most;
 *  2. candidates are titles containing one of the words seen fewer than 2,000 times (same index);
 *  3. score = weight of the query's words found in the candidate / weight of all its words, plus 0.1 × pg_trgm
 *     `similarity(title, query)` so that closer wording ranks first among equals.
 * Used by the review page and by the petition creation form (to point people to an existing petition).
 * @param input.body accepted for the creation form's call; not used in the score yet (titles carry the topic)
 * @param limit 1–100 rows, best first; only rows with score ≥ 0.3 (a third of the title's weight)
 * @param input.excludeId a petition to leave out (the one under review)
 * @param input.includeUnpublished also petitions in review, rejected or hidden (staff pages only,
 *   `STAFF_VISIBLE_STATES`); default: only public ones (`PUBLIC_STATES`), so the public creation form never reveals
 *   an unpublished petition
 */
export async function similarPetitions(
  db: Executor,
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
      weight.set(word, wordWeight(null)); // too short to count by index: as common
      continue;
    }
    const counted = await sql<{ n: string }>`
      select count(*) as n from (select 1 from petitions where title ilike ${likePattern(word)}
                                 limit ${COMMON_WORD_CAP}) x`.execute(db);
    const n = Math.max(Number(counted.rows[0]?.n ?? 0), 1);
    weight.set(word, wordWeight(n));
    if (n < COMMON_WORD_CAP) rare.push(word);
  }
  if (rare.length === 0) return [];
  let q = db
    .selectFrom('petitions')
    .select(['id', 'title', 'state', 'public_count', sql<number>`similarity(title, ${title})`.as('trgm')])
    .where((eb) => eb.or(rare.map((w) => eb('title', 'ilike', likePattern(w)))))
    .where('state', 'in', input.includeUnpublished ? [...STAFF_VISIBLE_STATES] : [...PUBLIC_STATES]);
  if (input.excludeId) q = q.where('id', '<>', input.excludeId);
  const candidates = await q.limit(MAX_CANDIDATES).execute();
  return candidates
    .map((c) => ({
      id: c.id,
      title: c.title,
      state: c.state,
      publicCount: c.public_count,
      score: similarityScore(c.title, weight, Number(c.trgm)),
    }))
    .filter((c) => c.score >= SIMILAR_MIN_SCORE)
    .sort((a, b) => b.score - a.score || Number(b.id) - Number(a.id))
    .slice(0, Math.min(Math.max(Math.trunc(limit), 1), 100));
}
