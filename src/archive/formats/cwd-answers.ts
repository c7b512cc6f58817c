/**
 * gyunggyung/National-Petition `briefing.csv`: the answered (브리핑) 청와대 petitions 2017-09..2018-11 with the
 * official answer transcript. Columns: `num` (president.go.kr id), `category`, `start-days`, `end-days`,
 * `person` (masked author, NEVER read), `progress` ('브리핑 '), `title`, `count` ('참여인원 : [ 296,330명 ]'),
 * `petition_overview` (scraped HTML text with the page's tab labels), `petition_answer` (scraped answer).
 *
 * In 3 real rows (412722, 418376, 436901) `petition_answer` is a second copy of the petition text (the crawler
 * missed the answer); when the cleaned answer equals the cleaned body the answer is treated as absent:
 * `response` null, still `answered` true.
 */
import {
  buildRecord,
  reject,
  requireCount,
  requireDate,
  requireId,
  requireOrder,
  requireTitle,
} from '../build.js';
import type { ArchivedPetitionRecord } from '../record.js';
import { cleanLabel, cleanScrapedText } from '../text.js';
import { cell, cwdUrl, requireCwdId } from './common.js';

/** Columns the parser needs (detect.ts identifies the format by them). */
export const CWD_ANSWERS_COLUMNS = [
  'num',
  'start-days',
  'end-days',
  'title',
  'count',
  'petition_answer',
] as const;

export function createCwdAnswersMapper(): (row: Record<string, string>) => ArchivedPetitionRecord {
  return (row) => {
    const sourceId = requireCwdId(requireId(cell(row, 'num'), 'num'), 'num');
    const title = requireTitle(cell(row, 'title'), 'title');
    const openedOn = requireDate(cell(row, 'start-days'), 'start-days');
    const lastDay = requireDate(cell(row, 'end-days'), 'end-days');
    requireOrder(openedOn, lastDay, 'start-days', 'end-days');
    const agreementCount = requireCount(cell(row, 'count'), 'count');
    const body = cleanScrapedText(row.petition_overview ?? null);
    const answer = cleanScrapedText(cell(row, 'petition_answer'));
    const progress = cell(row, 'progress').trim();
    if (progress !== '' && progress !== '브리핑') {
      reject(`progress is ${JSON.stringify(progress)}; this file holds answered (브리핑) petitions only`);
    }
    return buildRecord({
      source: 'cwd',
      sourceId,
      profile: 'cheongwadae',
      title,
      body,
      category: cleanLabel(row.category),
      openedOn,
      lastDay,
      agreementCount,
      sourceState: progress === '' ? '브리핑' : progress,
      answered: true,
      response:
        answer === null || answer === body ? null : { body: answer, summary: null, publishedAt: null },
      sourceUrl: cwdUrl(sourceId),
    });
  };
}
