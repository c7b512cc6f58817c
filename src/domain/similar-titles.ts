/**
 * Pure parts of finding petitions with a similar title: the words of a title and the rarity-weighted score. The
 * search itself (counting words in stored titles, fetching candidates) is repositories/similar-petitions.ts.
 */

/** Titles a word may match before it counts as too common to find candidates with (it still weighs in the score). */
export const COMMON_WORD_CAP = 2000;

/** Lowest score a similar petition is shown with: a third of the query title's word weight. */
export const SIMILAR_MIN_SCORE = 0.3;

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
 * A word's weight from how many stored titles contain it (counted up to `COMMON_WORD_CAP`): ln(1 + 2000 / count),
 * so rare words weigh most. A word of fewer than 3 characters is not counted by index and weighs as common, ln 2.
 * @param count titles containing the word (at least 1 is assumed), or null for a short word
 */
export function wordWeight(count: number | null): number {
  if (count === null) return Math.log(2);
  return Math.log(1 + COMMON_WORD_CAP / Math.max(count, 1));
}

/**
 * A candidate's score: weight of the query's words found in the candidate's title / weight of all the query's
 * words, plus 0.1 × pg_trgm `similarity(title, query)` so that closer wording ranks first among equals.
 */
export function similarityScore(
  candidateTitle: string,
  weights: ReadonlyMap<string, number>,
  trgm: number,
): number {
  const own = candidateTitle.normalize('NFKC').toLowerCase();
  let total = 0;
  let found = 0;
  for (const [word, weight] of weights) {
    total += weight;
    if (own.includes(word)) found += weight;
  }
  return found / total + 0.1 * trgm;
}
