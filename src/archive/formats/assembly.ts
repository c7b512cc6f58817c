/**
 * jeongkyu-im-git/petitions-assembly: 국회 국민동의청원 2020–2024. Columns `rowno, category, title, content, count,
 * start, end`. `rowno` is only the row's position in this snapshot (sorted by count, descending), so it cannot
 * identify a petition across snapshots.
 *
 * sourceId = first 16 hex digits of sha256(start ␟ title ␟ content) over the cleaned values (so CRLF vs LF or
 * entity-encoded re-exports of the same petition keep their key). start|title alone is NOT unique in the real file
 * (16 pairs, e.g. the 2024-01 제2외국어 절대평가 campaign filed many same-titled petitions on one day); adding the
 * text makes it unique except for 3 pairs of genuinely separate petitions with identical date, title and text
 * (e.g. rows 36 and 365, 77,754 and 4,058 agreements). Those get '-2' appended to the later row; rows are in
 * descending count order, so the better-supported petition keeps the plain key.
 * The dataset has no status column; every petition in it had ended, so sourceState is 'closed'. No answers
 * (both the record defaults, `RECORD_DEFAULTS`).
 */
import { createHash } from 'node:crypto';
import { buildRecord, requireCount, requireDate, requireOrder, requireTitle } from '../build.js';
import type { ArchivedPetitionRecord } from '../record.js';
import { cleanBody, cleanLabel } from '../text.js';
import { cell } from './common.js';

/** Columns the parser needs (detect.ts identifies the format by them). */
export const ASSEMBLY_COLUMNS = ['rowno', 'category', 'title', 'content', 'count', 'start', 'end'] as const;

/** The content key of an assembly petition (before any '-N' suffix for identical petitions). */
export function assemblyKey(start: string, title: string, body: string | null): string {
  return createHash('sha256')
    .update(`${start}\u001f${title}\u001f${body ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}

export function createAssemblyMapper(): (row: Record<string, string>) => ArchivedPetitionRecord {
  const seen = new Map<string, number>();
  return (row) => {
    const title = requireTitle(cell(row, 'title'), 'title');
    const openedOn = requireDate(cell(row, 'start'), 'start');
    const lastDay = requireDate(cell(row, 'end'), 'end');
    requireOrder(openedOn, lastDay, 'start', 'end');
    const agreementCount = requireCount(cell(row, 'count'), 'count');
    const body = cleanBody(cell(row, 'content'));
    const key = assemblyKey(openedOn, title, body);
    const record = buildRecord({
      source: 'assembly',
      sourceId: key,
      profile: 'assembly',
      title,
      body,
      category: cleanLabel(row.category),
      openedOn,
      lastDay,
      agreementCount,
    });
    // Only a row that became a record takes a key, so a rejected row never shifts the suffixes.
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? record : { ...record, sourceId: `${key}-${n}` };
  };
}
