/**
 * lovit/petitions_archive (청와대 국민청원, ended petitions), one JSON object per line:
 * `category, begin, end, content, num_agree (int), petition_idx (str), status, title`.
 * Rows with status '브리핑' (answered) have empty `content` → body null, answered true, response null (no text).
 */
import type { ArchivedPetitionRecord } from '../record.js';
import { mapCwdCrawl } from './cwd-korkeep.js';

/** Keys whose presence identifies the format (detect.ts). */
export const LOVIT_KEYS = ['num_agree', 'petition_idx'] as const;

export function mapLovit(o: Record<string, unknown>): ArchivedPetitionRecord {
  return mapCwdCrawl(o, { id: 'petition_idx', count: 'num_agree' });
}
