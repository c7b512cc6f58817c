/**
 * korkeep/BlueHouse crawl of 청와대 국민청원 (2020), one JSON object per line:
 * `petition_id` (int, the president.go.kr id), `time` (crawl time, ignored), `begin`, `end`, `category`, `title`,
 * `content`, `keyword` (always [], ignored), `agree` (int), `status` ('청원종료' | '청원진행중' | '브리핑').
 * '브리핑' means the petition was answered; this crawl has no answer text, so `response` is null.
 * Rows still '청원진행중' at crawl time (2020-10-20) carry the count of that day, not a final count.
 */
import { buildRecord, requireCount, requireDate, requireId, requireOrder, requireTitle } from '../build.js';
import type { ArchivedPetitionRecord } from '../record.js';
import { cleanBody, cleanLabel } from '../text.js';
import { cwdUrl, optText, requireCwdId, requireText } from './common.js';

/** Keys whose presence identifies the format (detect.ts). */
export const KORKEEP_KEYS = ['petition_id', 'agree'] as const;

/**
 * The JSON crawls of the board (korkeep, lovit) differ only in the names of the id and count keys: one mapper.
 * @param keys which key holds the president.go.kr id and which the agreement count
 * @throws RowRejection (via the require* helpers) naming the field that is missing or malformed
 */
export function mapCwdCrawl(
  o: Record<string, unknown>,
  keys: { id: string; count: string },
): ArchivedPetitionRecord {
  const sourceId = requireCwdId(requireId(o[keys.id], keys.id), keys.id);
  const title = requireTitle(o.title, 'title');
  const openedOn = requireDate(o.begin, 'begin');
  const lastDay = requireDate(o.end, 'end');
  requireOrder(openedOn, lastDay, 'begin', 'end');
  const agreementCount = requireCount(o[keys.count], keys.count);
  const status = requireText(o, 'status');
  return buildRecord({
    source: 'cwd',
    sourceId,
    profile: 'cheongwadae',
    title,
    body: cleanBody(optText(o, 'content')),
    category: cleanLabel(optText(o, 'category')),
    openedOn,
    lastDay,
    agreementCount,
    sourceState: status,
    answered: status === '브리핑',
    sourceUrl: cwdUrl(sourceId),
  });
}

export function mapKorkeep(o: Record<string, unknown>): ArchivedPetitionRecord {
  return mapCwdCrawl(o, { id: 'petition_id', count: 'agree' });
}
