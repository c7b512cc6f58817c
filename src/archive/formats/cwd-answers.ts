/**
 * gyunggyung/National-Petition `briefing.csv`: the answered (브리핑) 청와대 petitions 2017-09..2018-11 with the
 * official answer transcript. Columns: `num` (president.go.kr id), `category`, `start-days`, `end-days`,
 * `person` (masked author, NEVER read), `progress` ('브리핑 '), `title`, `count` ('참여인원 : [ 296,330명 ]'),
 * `petition_overview` (scraped HTML text with the page's tab labels), `petition_answer` (scraped answer).
 *
 * `progress` may also be any other status the board used (a crawl in this layout taken while petitions were still
 * open): '청원진행중' is a count taken before close (not final), '청원종료' a closed petition without an answer
 * (`crawlStatus`, formats/cwd-crawl.ts); an empty progress cell means 브리핑, as in the real file.
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
import { crawlStatus } from './cwd-crawl.js';

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
    const status = progress === '' ? { sourceState: '브리핑', answered: true } : crawlStatus(progress);
    if (status === null) {
      reject(
        `progress is ${JSON.stringify(progress)}, not a status the board used (청원진행중, 청원종료, 브리핑)`,
      );
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
      sourceState: status.sourceState,
      answered: status.answered || answer !== null,
      response:
        answer === null || answer === body ? null : { body: answer, summary: null, publishedAt: null },
      sourceUrl: cwdUrl(sourceId),
    });
  };
}
