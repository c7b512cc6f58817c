/**
 * Crawls of the Blue House (청와대 국민청원) list and petition pages in any CSV layout, read by MEANING rather than by
 * one fixed header: each column is mapped to a petition field by its name (Korean or English, any spelling of the
 * same word: `청원번호`, `petition_id`, `num`, `No.` …) and, where the name says nothing, by its content (dates, a
 * `2020-03-18 ~ 2020-04-17` period, counts written as '296,330명' or '참여인원 : [ 296,330명 ]', status words of the
 * board, category names, long text). The fields:
 *  - number (required: the president.go.kr id; or a `url` column holding `/petitions/<id>`);
 *  - title (required); count (required, any written form `parseKoreanCount` reads);
 *  - dates: first day and/or last day, or one period column; with only one of them the other follows from the
 *    board's 30-day period;
 *  - status (optional): '청원진행중' (still open when crawled: a count that is NOT final, as on the korkeep path),
 *    '청원종료' (closed), '브리핑' / '답변완료' (answered); absent → closed; a status the board never used rejects the row;
 *  - category, body, answer (optional; cells may span lines). An author column (`person`, `작성자`, `청원인`) is
 *    recognised and NEVER read.
 * What it cannot map is reported, never silently dropped: each unmapped column once, at the header's line; a row
 * whose value does not read as its field is rejected at its line (parse-file.ts reports both by file and line).
 */
import { findCategory } from '../../domain/policy-profiles.js';
import { buildRecord, reject, requireTitle } from '../build.js';
import type { ArchivedPetitionRecord } from '../record.js';
import {
  addDays,
  cleanBody,
  cleanLabel,
  cleanScrapedText,
  isCalendarDate,
  parseKoreanCount,
  show,
} from '../text.js';
import { cwdUrl } from './common.js';
import { CWD_PERIOD_DAYS } from './cwd-list.js';

/** The petition fields a crawl column can hold. `author` is recognised only to be left unread. */
export type CrawlField =
  | 'number'
  | 'url'
  | 'category'
  | 'start'
  | 'end'
  | 'period'
  | 'status'
  | 'title'
  | 'count'
  | 'body'
  | 'answer'
  | 'author'
  | 'ignored';

/** Header names per field, compared after `nameKey` (lower case; spaces, `_`, `-`, `.`, `:` and brackets removed). */
const NAMES: Record<Exclude<CrawlField, 'ignored'>, readonly string[]> = {
  number: [
    'num',
    'no',
    'number',
    'id',
    'idx',
    'petitionid',
    'petitionidx',
    'petitionno',
    'petitionnum',
    '번호',
    '청원번호',
    '글번호',
  ],
  url: ['url', 'link', 'href', 'petitionurl', '주소', '링크', '원문주소'],
  category: ['category', 'categories', 'cat', 'topic', '분류', '카테고리', '분야', '청원분류'],
  start: [
    'start',
    'begin',
    'startdate',
    'startday',
    'startdays',
    'begindate',
    'opened',
    'openedon',
    'from',
    '시작일',
    '청원시작',
    '청원시작일',
    '청원개시',
    '시작',
  ],
  end: [
    'end',
    'enddate',
    'endday',
    'enddays',
    'expiry',
    'expirydate',
    'deadline',
    'until',
    'to',
    'lastday',
    '마감일',
    '청원마감',
    '청원마감일',
    '종료일',
    '마감',
    '종료',
  ],
  period: ['period', 'duration', '청원기간', '기간'],
  status: ['status', 'state', 'progress', '상태', '진행상태', '청원상태', '답변상태', '진행'],
  title: ['title', 'subject', 'name', '제목', '청원제목', '청원명'],
  count: [
    'count',
    'agree',
    'agrees',
    'agreements',
    'numofagrees',
    'numagree',
    'votes',
    'signatures',
    'participants',
    '참여인원',
    '참여',
    '참여자',
    '동의',
    '동의수',
    '동의인원',
    '추천',
    '추천수',
  ],
  body: [
    'content',
    'contents',
    'body',
    'text',
    'overview',
    'petitionoverview',
    'petitioncontent',
    '내용',
    '청원내용',
    '본문',
  ],
  answer: ['answer', 'petitionanswer', 'response', 'reply', '답변', '답변내용', '답변원문'],
  author: ['person', 'author', 'writer', 'petitioner', 'user', 'nickname', '작성자', '청원인', '글쓴이'],
};

/** Columns a crawler adds that hold nothing about the petition (crawl time, empty keyword lists, row numbers). */
const IGNORED_NAMES = new Set(['time', 'crawledat', 'crawltime', 'keyword', 'keywords', 'unnamed0', '']);

function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.:()[\]]+/g, '');
}

const FIELD_BY_NAME = new Map<string, Exclude<CrawlField, 'ignored'>>(
  Object.entries(NAMES).flatMap(([field, names]) =>
    names.map((n) => [nameKey(n), field as Exclude<CrawlField, 'ignored'>] as const),
  ),
);

// ---------------------------------------------------------------------------------------------------------------
// Values

/** The board's status words → the record's state. */
const STATUS: ReadonlyMap<string, { sourceState: string; answered: boolean }> = new Map([
  ['청원진행중', { sourceState: '청원진행중', answered: false }],
  ['진행중', { sourceState: '청원진행중', answered: false }],
  ['청원종료', { sourceState: '청원종료', answered: false }],
  ['종료', { sourceState: '청원종료', answered: false }],
  ['청원마감', { sourceState: '청원종료', answered: false }],
  ['마감', { sourceState: '청원종료', answered: false }],
  ['답변대기', { sourceState: '청원종료', answered: false }],
  ['브리핑', { sourceState: '브리핑', answered: true }],
  ['답변완료', { sourceState: '브리핑', answered: true }],
  ['답변', { sourceState: '브리핑', answered: true }],
]);

/** A status cell as the board wrote it ('브리핑 ', '청원 진행중') → state; null when it is not one of its words. */
export function crawlStatus(raw: string): { sourceState: string; answered: boolean } | null {
  return STATUS.get(raw.replace(/\s+/g, '')) ?? null;
}

/**
 * A date as crawls write it → 'YYYY-MM-DD': '2020-03-18', '2020.03.18', '2020. 3. 18.', '2020/03/18',
 * '2020-03-18 12:00:00', '2020년 3월 18일'; null for anything else.
 */
export function crawlDate(raw: string): string | null {
  const m =
    /^\s*(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*[.일]?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$/.exec(
      raw,
    );
  if (!m) return null;
  const d = `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  return isCalendarDate(d) ? d : null;
}

/** A period cell '2020-03-18 ~ 2020-04-17' (any date form `crawlDate` reads, `~` or `-` between) → its two days. */
export function crawlPeriod(raw: string): { start: string; end: string } | null {
  const parts = raw.split(/\s*[~〜∼]\s*|\s+-\s+/);
  if (parts.length !== 2) return null;
  const start = crawlDate(parts[0] as string);
  const end = crawlDate(parts[1] as string);
  return start && end ? { start, end } : null;
}

/** The board id in a number cell ('586819', '586819.0', '#586819', 'No. 586819') or a URL ('…/petitions/586819'). */
function boardId(raw: string, field: 'number' | 'url'): string | null {
  const s = raw.trim();
  if (field === 'url') return /\/petitions\/(\d+)(?:[/?#]|$)/.exec(s)?.[1] ?? null;
  return /^(?:no\.?\s*|#)?(\d+)(?:\.0+)?$/i.exec(s)?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping a header

/** Which column holds which field, and what could not be mapped. */
export interface CrawlMapping {
  /** Column index per field (the first column found for it). */
  columns: Partial<Record<Exclude<CrawlField, 'ignored' | 'author'>, number>>;
  /** Columns mapped to no field, each with the reason (reported at the header's line). */
  unmapped: Array<{ column: number; name: string; reason: string }>;
}

/** The fields a crawl must have; when one is missing the file is not a Blue House crawl. */
function missingFields(columns: CrawlMapping['columns']): string[] {
  const missing: string[] = [];
  if (columns.number === undefined && columns.url === undefined)
    missing.push('number (or a /petitions/<id> url)');
  if (columns.title === undefined) missing.push('title');
  if (columns.count === undefined) missing.push('agreement count');
  if (columns.start === undefined && columns.end === undefined && columns.period === undefined)
    missing.push('a date (first day, last day or period)');
  return missing;
}

const share = (values: string[], test: (v: string) => boolean) => {
  const filled = values.filter((v) => v.trim() !== '');
  return filled.length === 0 ? 0 : filled.filter(test).length / filled.length;
};

/** What the values of an unnamed column look like: the field they hold, or null. */
function fieldByContent(values: string[]): Exclude<CrawlField, 'ignored' | 'author'> | null {
  const filled = values.filter((v) => v.trim() !== '');
  if (filled.length === 0) return null;
  if (share(filled, (v) => crawlPeriod(v) !== null) >= 0.9) return 'period';
  if (share(filled, (v) => crawlDate(v) !== null) >= 0.9) return 'end'; // the first date column becomes start below
  if (share(filled, (v) => crawlStatus(v) !== null) >= 0.9) return 'status';
  if (share(filled, (v) => /\/petitions\/\d+/.test(v)) >= 0.9) return 'url';
  if (share(filled, (v) => /명\s*\]?\s*$|참여인원/.test(v) && parseKoreanCount(v) !== null) >= 0.9)
    return 'count';
  if (share(filled, (v) => findCategory('cheongwadae', v.trim()) !== null) >= 0.9) return 'category';
  const avg = filled.reduce((a, v) => a + v.length, 0) / filled.length;
  if (avg >= 200) return 'body'; // the second long-text column becomes the answer below
  return null;
}

/**
 * Maps a crawl's header to petition fields, by name first, then by the content of `samples` (the first data rows)
 * for columns whose names say nothing. A named column is checked against its content where that is decisive (a
 * count column whose cells are not counts is not taken).
 * @returns the mapping, or the fields that could not be found (then the file is not a Blue House crawl)
 */
export function mapCrawlHeader(
  header: readonly string[],
  samples: ReadonlyArray<readonly string[]>,
): CrawlMapping | { missing: string[] } {
  const columns: CrawlMapping['columns'] = {};
  const unmapped: CrawlMapping['unmapped'] = [];
  const valuesOf = (i: number) => samples.map((r) => r[i] ?? '');
  const unnamed: number[] = [];
  header.forEach((name, i) => {
    const key = nameKey(name);
    const field = FIELD_BY_NAME.get(key);
    if (field === 'author') return; // recognised, never read
    if (field === undefined) {
      if (IGNORED_NAMES.has(key)) return;
      unnamed.push(i);
      return;
    }
    if (columns[field] !== undefined) {
      unmapped.push({
        column: i,
        name,
        reason: `a second ${field} column (column ${columns[field] + 1} is used)`,
      });
      return;
    }
    if (
      field === 'count' &&
      samples.length > 0 &&
      share(valuesOf(i), (v) => parseKoreanCount(v) !== null) < 0.5
    ) {
      unmapped.push({ column: i, name, reason: 'named like a count, but its cells are not counts' });
      return;
    }
    columns[field] = i;
  });
  for (const i of unnamed) {
    let field = fieldByContent(valuesOf(i));
    if (field === 'end' && columns.start === undefined && columns.end === undefined) field = 'start';
    else if (field === 'end' && columns.end !== undefined && columns.start === undefined) field = 'start';
    if (field === 'body' && columns.body !== undefined) field = 'answer';
    if (field === null || columns[field] !== undefined) {
      unmapped.push({
        column: i,
        name: header[i] as string,
        reason: 'its name and content match no petition field; its values were not imported',
      });
      continue;
    }
    columns[field] = i;
  }
  // two date columns found by content: the earlier dates are the first day
  if (columns.start !== undefined && columns.end !== undefined) {
    const s = crawlDate(valuesOf(columns.start)[0] ?? '');
    const e = crawlDate(valuesOf(columns.end)[0] ?? '');
    if (s && e && s > e) [columns.start, columns.end] = [columns.end, columns.start];
  }
  const missing = missingFields(columns);
  return missing.length > 0 ? { missing } : { columns, unmapped };
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping a row

/** Scraped page text (tab-indented lines, CR CR LF) is cleaned as the browser rendered it; other text as written. */
function cleanText(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  return /\t|\r\r/.test(raw) ? cleanScrapedText(raw) : cleanBody(raw);
}

/**
 * The mapper of one crawl file: a row's cells (in header order) → a record, by `mapping`.
 * @throws RowRejection naming the column and value that could not be read
 */
export function createCwdCrawlMapper(
  header: readonly string[],
  mapping: CrawlMapping,
): (cells: readonly string[]) => ArchivedPetitionRecord {
  const c = mapping.columns;
  const name = (i: number) => JSON.stringify(header[i]);
  const get = (i: number | undefined) => (i === undefined ? undefined : (cells_[i] ?? ''));
  let cells_: readonly string[] = [];
  return (cells) => {
    cells_ = cells;
    let sourceId: string | null = null;
    if (c.number !== undefined) sourceId = boardId(get(c.number) ?? '', 'number');
    if (sourceId === null && c.url !== undefined) sourceId = boardId(get(c.url) ?? '', 'url');
    if (sourceId === null) {
      const i = (c.number ?? c.url) as number;
      reject(`column ${name(i)} holds no petition number: ${show(get(i))}`);
    }
    const title = requireTitle(get(c.title), header[c.title as number] as string);
    const countCell = get(c.count) ?? '';
    const agreementCount = parseKoreanCount(countCell);
    if (agreementCount === null)
      reject(`column ${name(c.count as number)} is not an agreement count: ${show(countCell)}`);
    let start: string | null = null;
    let end: string | null = null;
    if (c.period !== undefined) {
      const p = crawlPeriod(get(c.period) ?? '');
      if (p === null)
        reject(`column ${name(c.period)} is not a period 'YYYY-MM-DD ~ YYYY-MM-DD': ${show(get(c.period))}`);
      ({ start, end } = p);
    }
    for (const [field, i] of [
      ['start', c.start],
      ['end', c.end],
    ] as const) {
      if (i === undefined) continue;
      const raw = get(i) ?? '';
      const d = crawlDate(raw);
      if (d === null) reject(`column ${name(i)} is not a date: ${show(raw)}`);
      if (field === 'start') start = d;
      else end = d;
    }
    if (start === null) start = addDays(end as string, -CWD_PERIOD_DAYS);
    if (end === null) end = addDays(start, CWD_PERIOD_DAYS);
    if (end < start) reject(`the last day (${end}) is before the first day (${start})`);
    let state = { sourceState: 'closed', answered: false };
    if (c.status !== undefined) {
      const raw = get(c.status) ?? '';
      const s = raw.trim() === '' ? null : crawlStatus(raw);
      if (raw.trim() !== '' && s === null)
        reject(
          `column ${name(c.status)}: ${show(raw)} is not a status the board used (청원진행중, 청원종료, 브리핑)`,
        );
      if (s) state = s;
    }
    const body = cleanText(get(c.body));
    const answer = cleanText(get(c.answer));
    const answered = state.answered || answer !== null;
    return buildRecord({
      source: 'cwd',
      sourceId,
      profile: 'cheongwadae',
      title,
      body,
      category: cleanLabel(get(c.category)),
      openedOn: start,
      lastDay: end,
      agreementCount,
      sourceState: answered && state.sourceState !== '청원진행중' ? '브리핑' : state.sourceState,
      answered,
      response:
        answer === null || answer === body ? null : { body: answer, summary: null, publishedAt: null },
      sourceUrl: cwdUrl(sourceId),
    });
  };
}
