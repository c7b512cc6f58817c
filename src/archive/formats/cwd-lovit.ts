/**
 * lovit/petitions_archive (청와대 국민청원, ended petitions), one JSON object per line:
 * `category, begin, end, content, num_agree (int), petition_idx (str), status, title`.
 * Rows with status '브리핑' (answered) have empty `content` → body null, answered true, response null (no text).
 */
import { finishRecord, requireCount, requireDate, requireId, requireOrder, requireTitle } from '../build.js';
import type { ArchivedPetitionRecord } from '../record.js';
import { cleanBody, cleanLabel } from '../text.js';
import { cwdUrl, optText, requireCwdId, requireText } from './common.js';

/** Keys whose presence identifies the format (detect.ts). */
export const LOVIT_KEYS = ['num_agree', 'petition_idx'] as const;

export function mapLovit(o: Record<string, unknown>): ArchivedPetitionRecord {
  const sourceId = requireCwdId(requireId(o.petition_idx, 'petition_idx'), 'petition_idx');
  const title = requireTitle(o.title, 'title');
  const openedOn = requireDate(o.begin, 'begin');
  const lastDay = requireDate(o.end, 'end');
  requireOrder(openedOn, lastDay, 'begin', 'end');
  const agreementCount = requireCount(o.num_agree, 'num_agree');
  const status = requireText(o, 'status');
  return finishRecord({
    source: 'cwd',
    sourceId,
    profile: 'cheongwadae',
    title,
    body: cleanBody(optText(o, 'content')),
    category: cleanLabel(optText(o, 'category')),
    openedOn,
    lastDay,
    openedAt: null,
    closedAt: null,
    agreementCount,
    sourceState: status,
    answered: status === '브리핑',
    response: null,
    sourceUrl: cwdUrl(sourceId),
  });
}
