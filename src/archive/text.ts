/**
 * Text clean-up and value parsing shared by the archive parsers. Everything here is pure.
 *
 * Policy for all formats:
 *  - HTML character references are decoded in STRICT mode (only `&name;` / `&#n;` with the semicolon), so URLs in
 *    petition texts (`?a=1&copy=2`, `&not=`) are never mangled. Some crawls turned query strings into
 *    `&mid;=sec&oid;=032` (a `;` inserted before `=`); `&mid;` IS an HTML entity (∣), so the pattern `&name;=` is
 *    first repaired back to `&name=`. That pattern does not occur in prose.
 *  - U+0000 is removed from every text (PostgreSQL `text` cannot store it); it carries no meaning in these sources.
 *  - Line breaks are normalised to LF (CRLF, the CR CR LF of scraped HTML, and lone CR each count as one break).
 */
import { DecodingMode, decodeHTML } from 'entities';

const BROKEN_QUERY_ENTITY = /&([A-Za-z][A-Za-z0-9_]*);=/g;

/** Decodes HTML character references (strict: semicolon required), after repairing `&name;=` query strings. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return decodeHTML(s.replace(BROKEN_QUERY_ENTITY, '&$1='), DecodingMode.Strict);
}

/** Removes U+0000 characters. */
export function removeNul(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', '') : s;
}

/** CRLF, CR CR LF and lone CR → LF. */
export function normalizeNewlines(s: string): string {
  return s.includes('\r') ? s.replace(/\r*\n|\r/g, '\n') : s;
}

/** A title: NULs removed, entities decoded, trimmed (inner text kept exactly). */
export function cleanTitle(raw: string): string {
  return decodeEntities(removeNul(raw)).trim();
}

/** A category label: cleaned like a title; empty → null. */
export function cleanLabel(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const s = cleanTitle(raw);
  return s === '' ? null : s;
}

/** A petition/answer text from a structured source: NULs removed, entities decoded, LF line breaks, trimmed; '' → null. */
export function cleanBody(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const s = normalizeNewlines(decodeEntities(removeNul(raw))).trim();
  return s === '' ? null : s;
}

const HEADER_LABEL = /^(원답변|청원\s*A\s*\/\s*S|청원내용)$/;

/**
 * Text scraped from president.go.kr HTML (gyunggyung `petition_overview` / `petition_answer`). Observed in the real
 * rows: every line indented by 11 tabs; CR CR LF = a line break and CR LF CR CR LF = a paragraph break; lines made
 * of a single NBSP separate paragraphs in answers; the overview starts with the page's tab labels
 * '원답변' / '청원 A/S' / '청원내용'; attachments are glued together ('첨부링크 1 : http://…첨부링크 2 : …').
 *
 * Result: entities decoded; whitespace inside a line collapsed to one space (as the browser rendered it, which
 * also removes the indentation); lines trimmed; runs of blank lines → one blank line (paragraphs kept); leading tab
 * labels removed; each '첨부링크 N :' on its own line; trimmed. '' → null.
 */
export function cleanScrapedText(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const lines = normalizeNewlines(decodeEntities(removeNul(raw)))
    .split('\n')
    .map((l) => l.replace(/[\s\u00a0]+/g, ' ').trim());
  while (lines.length > 0 && ((lines[0] as string) === '' || HEADER_LABEL.test(lines[0] as string)))
    lines.shift();
  const text = lines
    .join('\n')
    .replace(/([^\n]) ?(첨부링크 \d+ :)/g, '$1\n$2')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text === '' ? null : text;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

const FULLWIDTH_DIGITS = /[\uff10-\uff19]/g;

/**
 * An agreement count as printed by Korean sources. Accepts '296330', '296,330', '296,330명', '296,330 명',
 * '참여인원 : [ 296,330명 ]', full-width digits and commas ('２９６，３３０명'), and a float rendering of a whole number
 * ('296330.0', from pandas exports). Rejects (null) anything else: '', 'abc', '-5', '12.5', '1,23', '29만',
 * numbers beyond Number.MAX_SAFE_INTEGER.
 */
export function parseKoreanCount(raw: string): number | null {
  if (/^\d{1,15}$/.test(raw)) return Number(raw); // the common case
  let s = raw
    .replace(FULLWIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/\uff0c/g, ',')
    .replace(/[\u00a0\u3000]/g, ' ')
    .trim();
  const labelled = /^참여인원\s*[:：]\s*(.*)$/.exec(s);
  if (labelled) s = (labelled[1] as string).trim();
  const bracketed = /^\[\s*(.*?)\s*\]$/.exec(s);
  if (bracketed) s = bracketed[1] as string;
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?\s*(?:명)?$/.exec(s);
  if (!m) return null;
  const n = Number((m[1] as string).replaceAll(',', ''));
  return Number.isSafeInteger(n) ? n : null;
}

/** A count from JSON (integer number) or text (see parseKoreanCount); null when not a whole number ≥ 0. */
export function parseCount(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v === 'string') return parseKoreanCount(v);
  return null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** True for a real calendar date 'YYYY-MM-DD' (2019-02-30 and 2020-13-45 are not). */
export function isCalendarDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= (mo === 2 && isLeapYear(y) ? 29 : (MONTH_DAYS[mo - 1] as number));
}

/** 'YYYY-MM-DD' (surrounding whitespace allowed) → the date, or null when it is not a real calendar date. */
export function parseIsoDate(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  return isCalendarDate(s) ? s : null;
}

// Days ↔ civil date in the proleptic Gregorian calendar (H. Hinnant's algorithms); pure integer arithmetic,
// much cheaper than going through Date for every row.
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): string {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Calendar arithmetic on a valid 'YYYY-MM-DD' (days may be negative). */
export function addDays(date: string, days: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return civilFromDays(daysFromCivil(y, m, d) + days);
}

/** A short, single-line rendering of a bad value for a rejection reason. */
export function show(v: unknown): string {
  if (v === undefined) return 'missing';
  const s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** A JSON object (not an array, not null): the one test the detector, the reader and the mappers share. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
