/**
 * choi-jiwoo list of 청와대 petitions 2019–2021 (gzipped CSV with BOM): `id` (float text '441439.0', a numbering of
 * its own, NOT the president.go.kr id), `category`, `title`, `expiryDate` (the last day), `numOfAgrees`.
 * No body text. The 청와대 board ran every petition for 30 days ('2020-03-18 ~ 2020-04-17': opened 03-18, last day
 * 04-17), so openedOn = expiryDate − 30 days.
 *
 * The title is kept exactly as given apart from trimming (the import matches these rows to `cwd` records by
 * title + last day). Three real rows have the whole scraped page glued into the title (a line break followed by
 * '참여인원 : [ …명 ]' and the petition page); the real title is not recoverable (it was cut at a '<'), so such rows
 * are rejected.
 */
import { buildRecord, reject, requireCount, requireDate, requireTitle } from '../build.js';
import type { ArchivedPetitionRecord } from '../record.js';
import { addDays, cleanLabel, show } from '../text.js';
import { cell } from './common.js';

/** Columns the parser needs (detect.ts identifies the format by them). */
export const CWD_LIST_COLUMNS = ['id', 'category', 'title', 'expiryDate', 'numOfAgrees'] as const;

/** Length of the 청와대 agreement period in days (lastDay = openedOn + 30). */
export const CWD_PERIOD_DAYS = 30;

export function createCwdListMapper(): (row: Record<string, string>) => ArchivedPetitionRecord {
  return (row) => {
    const rawId = cell(row, 'id').trim();
    const m = /^(\d+)(?:\.0+)?$/.exec(rawId);
    if (!m) reject(`id is missing or not a whole number: ${show(rawId)}`);
    const sourceId = m[1] as string;
    const rawTitle = cell(row, 'title');
    if (/[\r\n]/.test(rawTitle.trim())) {
      reject('title contains line breaks and scraped page text (the real title is unknown)');
    }
    const title = requireTitle(rawTitle, 'title');
    const lastDay = requireDate(cell(row, 'expiryDate'), 'expiryDate');
    const agreementCount = requireCount(cell(row, 'numOfAgrees'), 'numOfAgrees');
    return buildRecord({
      source: 'cwd-list',
      sourceId,
      profile: 'cheongwadae',
      title,
      body: null,
      category: cleanLabel(row.category),
      openedOn: addDays(lastDay, -CWD_PERIOD_DAYS),
      lastDay,
      agreementCount,
    });
  };
}
