/**
 * We the People (petitions.obamawhitehouse.archives.gov) sample from the ACL 2018 dataset (`WTP_dataset_1K.csv`):
 * columns `(pandas index), id, url, title, content, statement, tags, signs, createdDate, Month, Day, Year, CD, FCD`.
 * The literal text 'null' marks missing values.
 *
 *  - sourceId = `id` (e.g. 'lwQW9'); sourceUrl = `url`; agreementCount = `signs`.
 *  - body = `content`. `statement` is NOT petition text: it is the form's preamble chosen by the creator
 *    ('We the people ask the federal government to Call on Congress to act on an issue:'), so it is left out.
 *  - category = the first of the comma-separated `tags` ('Civil Rights & Equality,Economy & Jobs' → 'Civil Rights &
 *    Equality'); null for 'null'.
 *  - openedOn: `createdDate` when present ('YYYY-MM-DD', an ISO instant, or Unix seconds; in the real file it is
 *    always empty), otherwise `FCD`/`CD` ('02-Oct-12'), otherwise Month/Day/Year ('October', '2.0', '2012.0').
 *    A non-empty value that does not parse rejects the row (no silent fallback).
 *  - lastDay = openedOn + 30 days (WTP petitions had 30 days to reach the signature threshold).
 *  - No status or answer information: sourceState 'closed', answered false, response null (the record
 *    defaults, `RECORD_DEFAULTS`).
 */
import { buildRecord, reject, requireCount, requireTitle } from '../build.js';
import type { ArchivedPetitionRecord } from '../record.js';
import { addDays, cleanBody, cleanLabel, isCalendarDate, show } from '../text.js';
import { cell } from './common.js';

/** Columns the parser needs (detect.ts identifies the format by them). */
export const WTP_COLUMNS = [
  'id',
  'url',
  'title',
  'content',
  'statement',
  'tags',
  'signs',
  'createdDate',
] as const;

/** Days a We the People petition ran. */
export const WTP_PERIOD_DAYS = 30;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function nullText(s: string): string {
  const t = s.trim();
  return t.toLowerCase() === 'null' ? '' : t;
}

function ymd(y: number, m: number, d: number): string | null {
  const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isCalendarDate(s) ? s : null;
}

/** '2012-10-02', '2012-10-02T17:00:00Z' (UTC date), '1349197200' (Unix seconds, UTC date). */
function parseCreatedDate(s: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return isCalendarDate(s) ? s : null;
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) || !isCalendarDate(s.slice(0, 10)) ? null : new Date(t).toISOString().slice(0, 10);
  }
  if (/^\d{9,10}(\.0+)?$/.test(s)) return new Date(Number.parseFloat(s) * 1000).toISOString().slice(0, 10);
  return null;
}

/** '2-Oct-12' / '02-Oct-12' → '2012-10-02' (two-digit years: 00–69 → 20xx, 70–99 → 19xx). */
function parseDayMonYy(s: string): string | null {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{2})$/.exec(s);
  if (!m) return null;
  const mon = MONTHS.indexOf((m[2] as string).toLowerCase());
  if (mon === -1) return null;
  const yy = Number(m[3]);
  return ymd(yy < 70 ? 2000 + yy : 1900 + yy, mon + 1, Number(m[1]));
}

function parseMonthDayYear(month: string, day: string, year: string): string | null {
  const mon = MONTHS.indexOf(month.trim().slice(0, 3).toLowerCase());
  const d = /^(\d{1,2})(?:\.0+)?$/.exec(day.trim());
  const y = /^(\d{4})(?:\.0+)?$/.exec(year.trim());
  if (mon === -1 || !d || !y) return null;
  return ymd(Number(y[1]), mon + 1, Number(d[1]));
}

function openedOnOf(row: Record<string, string>): string {
  const created = nullText(cell(row, 'createdDate'));
  if (created !== '') {
    return parseCreatedDate(created) ?? reject(`createdDate is not a valid date: ${show(created)}`);
  }
  for (const col of ['FCD', 'CD']) {
    const v = nullText(cell(row, col));
    if (v !== '') return parseDayMonYy(v) ?? reject(`${col} is not a valid date 'DD-Mon-YY': ${show(v)}`);
  }
  const [mo, d, y] = [nullText(cell(row, 'Month')), nullText(cell(row, 'Day')), nullText(cell(row, 'Year'))];
  if (mo !== '' || d !== '' || y !== '') {
    return (
      parseMonthDayYear(mo, d, y) ?? reject(`Month/Day/Year is not a valid date: ${show(`${mo} ${d} ${y}`)}`)
    );
  }
  return reject('createdDate (date) is missing');
}

export function createWtpMapper(): (row: Record<string, string>) => ArchivedPetitionRecord {
  return (row) => {
    const sourceId = nullText(cell(row, 'id'));
    if (sourceId === '') reject('id is missing');
    const title = requireTitle(nullText(cell(row, 'title')), 'title');
    const agreementCount = requireCount(cell(row, 'signs'), 'signs');
    const openedOn = openedOnOf(row);
    const url = nullText(cell(row, 'url'));
    const firstTag = nullText(cell(row, 'tags')).split(',')[0] ?? '';
    return buildRecord({
      source: 'wtp',
      sourceId,
      profile: 'wtp',
      title,
      body: cleanBody(nullText(cell(row, 'content'))),
      category: cleanLabel(firstTag),
      openedOn,
      lastDay: addDays(openedOn, WTP_PERIOD_DAYS),
      agreementCount,
      sourceUrl: /^https?:\/\/\S+$/.test(url) ? url : null,
    });
  };
}
