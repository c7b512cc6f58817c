/**
 * The one normalisation rule of search, applied to what is indexed (a petition's title and body, when it is stored)
 * and to what a citizen types (the query), so that a title searched verbatim always finds its own petition.
 * Pure: no I/O.
 *
 * The rule (`searchText`): Unicode NFKC (full-width `Ｎ` → `N`, Hangul compatibility jamo `ㅇ` → conjoining `ᄋ`,
 * `…` → `...`, decomposed Hangul → syllables), then lower case (`N번방` → `n번방`), then every run of white space
 * (line breaks, tabs, U+3000) → one space, trimmed. It is only ever compared with itself: the stored petition text
 * is never rewritten (the page shows what was written), the normalised copy lives in the derived columns
 * `search_title` and `search_document`, and their bigrams in `search_title_grams` and `search_grams` (the index;
 * `searchGrams`), all filled by `searchColumns` in the write modules whenever a title or body is stored or changed.
 */

/** The search form of `text` (see the module's rule). `searchText(searchText(x)) === searchText(x)`. */
export function searchText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Separates the title from the body in `search_document`, so that no phrase matches across the two. */
export const DOCUMENT_SEPARATOR = '\n';

/**
 * The derived search columns of a petition with this title and body (null body: the title alone), the only way
 * they are filled: `search_title` = searchText(title); `search_document` = searchText(title) + '\n' +
 * searchText(body); the bigrams of each (`gramsVector`).
 */
export function searchColumns(title: string, body: string | null | undefined): SearchColumns {
  const { search_title, search_document } = searchForms(title, body);
  return {
    search_title,
    search_document,
    search_title_grams: gramsVector(search_title),
    search_grams: gramsVector(search_document),
  };
}

/** The two text columns of `searchColumns` (the bulk loader derives the bigrams from them with `gramsText`). */
export function searchForms(
  title: string,
  body: string | null | undefined,
): Pick<SearchColumns, 'search_title' | 'search_document'> {
  const t = searchText(title);
  return { search_title: t, search_document: t + bodySearchSuffix(body) };
}

/** The derived search columns of a petition (see `searchColumns`). */
export interface SearchColumns {
  search_title: string;
  search_document: string;
  /** tsvector literal of the title's bigrams (`searchGrams`). */
  search_title_grams: string;
  /** tsvector literal of the bigrams of title and body. */
  search_grams: string;
}

/**
 * The distinct character bigrams of the words of a text in the search form (words split at spaces and line
 * breaks; a word of one character has none): `n번방 신상공개` → n번, 번방, 신상, 상공, 공개. They are what the search
 * index holds (`search_grams`): every piece of a query that occurs in a text has all its bigrams among the text's,
 * so the index finds a superset of the matches, which the exact comparison then narrows — and unlike trigrams,
 * bigrams index two-syllable Korean words (처벌, 조국, 상상), the commonest length.
 */
export function searchGrams(text: string): string[] {
  const grams = new Set<string>();
  for (const word of text.split(/[ \n]/)) {
    const chars = [...word];
    for (let i = 0; i + 1 < chars.length; i++) grams.add(`${chars[i]}${chars[i + 1]}`);
  }
  return [...grams];
}

/** A lexeme as a PostgreSQL tsvector/tsquery literal: quoted, quotes doubled, backslashes escaped. */
function lexeme(gram: string): string {
  return `'${gram.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The bigrams of `text` (already in the search form) as a tsvector literal, for the `search_grams` column. */
export function gramsVector(text: string): string {
  return searchGrams(text).map(lexeme).join(' ');
}

/**
 * The bigrams of `text` (already in the search form) separated by single spaces, for bulk loads: a bigram never
 * holds white space (`searchText` folds it all to spaces, `searchGrams` splits there), so the database turns this
 * into the same tsvector as `gramsVector` with `array_to_tsvector(string_to_array(…, ' '))`, without quoting here
 * and the tsvector literal parser there.
 */
export function gramsText(text: string): string {
  return searchGrams(text).join(' ');
}

/**
 * The tsquery literal that every text holding all `terms` matches (their bigrams, all required), or null when no
 * term has two characters together (then only the exact comparison can decide).
 */
export function gramsQuery(terms: readonly string[]): string | null {
  const grams = searchGrams(terms.join(' '));
  return grams.length > 0 ? grams.map(lexeme).join(' & ') : null;
}

/** What a body adds to `search_document` after the title's search form: '' for none, else '\n' + searchText(body). */
export function bodySearchSuffix(body: string | null | undefined): string {
  const b = body ? searchText(body) : '';
  return b ? `${DOCUMENT_SEPARATOR}${b}` : '';
}

/** At most this many terms of a query are searched (the rest are ignored): a bound on the work of one search. */
export const MAX_SEARCH_TERMS = 8;

/**
 * A parsed search:
 * - `terms`: what must all occur (each a substring of title or body, in the search form), in the order typed:
 *   a quoted phrase (`"n번방 처벌"`, also with “…” or ＂…＂) is one term, other words are split on spaces;
 * - `phrase`: the terms joined by a space, and `compact`: joined without (`n 번방` → `n번방`): a title or body holding
 *   either ranks above one where the terms are scattered;
 * - `number`: the query read as a petition number (`586819`, `#586819`, `586,819`), or null: it finds the
 *   petition with that local number and archived petitions with that source number, shown first.
 */
export interface SearchQuery {
  /** The whole query in the search form: a title equal to it ranks first. */
  text: string;
  terms: string[];
  phrase: string;
  compact: string;
  number: string | null;
}

const QUOTES = /["“”„‟]/u;

/**
 * Reads what a citizen typed into the terms of a search (see `SearchQuery`). The text is put in the search form
 * first (`searchText`), so that its pieces are substrings of the normalised title when the title was typed
 * verbatim — even a title that itself holds quotes. An unclosed quote quotes the rest.
 * @returns null when nothing searchable is left (only spaces or quotes)
 */
export function parseSearchQuery(raw: string): SearchQuery | null {
  const text = searchText(raw);
  const terms: string[] = [];
  const add = (t: string) => {
    const term = t.trim();
    if (term && !terms.includes(term) && terms.length < MAX_SEARCH_TERMS) terms.push(term);
  };
  text.split(QUOTES).forEach((part, i) => {
    if (i % 2 === 1) add(part);
    else for (const word of part.split(' ')) add(word);
  });
  if (terms.length === 0) return null;
  const digits = /^(?:#|no\.? ?)?([0-9][0-9,]*)$/u.exec(text)?.[1]?.replace(/,/g, '') ?? '';
  const number = /^[1-9][0-9]{0,15}$/.test(digits) ? digits : null;
  return { text, terms, phrase: terms.join(' '), compact: terms.join(''), number };
}
