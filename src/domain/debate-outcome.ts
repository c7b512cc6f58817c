/**
 * What staff record on the UK debate track (the moves themselves are `DEBATE_TRANSITIONS` in response-track.ts):
 * scheduling a debate (a date), its outcome (the date it was debated, links to the transcript, the video and the
 * research, a summary), or the Petitions Committee's decision not to debate (a public reason). alphagov/e-petitions
 * keeps the same fields on its `debate_outcomes` (debated_on, transcript_url, video_url, debate_pack_url, overview)
 * and shows "Parliament debated this petition" / "Parliament decided not to debate this petition" on the page.
 *
 * Pure: no I/O, no clock.
 */
import { isLocalDate } from './committee-track.js';
import { DomainError } from './errors.js';

/** A debate outcome as staff enter it (trimmed; empty strings are null). */
export interface DebateOutcomeInput {
  readonly debatedOn: string;
  readonly overview: string | null;
  readonly transcriptUrl: string | null;
  readonly videoUrl: string | null;
  readonly researchUrl: string | null;
}

const blank = (s: string | null | undefined) => {
  const v = s?.trim() ?? '';
  return v === '' ? null : v;
};

/** Longest summary or reason accepted (characters). */
export const MAX_TRACK_TEXT = 10_000;

/**
 * Checks a scheduled debate's date.
 * @throws DomainError('invalid_parameter', `{ fields: { on } }`) unless a real 'YYYY-MM-DD' date
 */
export function checkDebateDate(on: string | null | undefined): string {
  const v = blank(on);
  if (v === null || !isLocalDate(v)) {
    throw new DomainError('invalid_parameter', 'Give the debate date as YYYY-MM-DD.', {
      fields: { on: 'invalid' },
    });
  }
  return v;
}

/**
 * Checks and normalises a debate outcome: a real date, https links only, a summary of at most 10,000 characters.
 * @throws DomainError('invalid_parameter') with `{ fields }` naming each bad field
 */
export function debateOutcomeInput(raw: {
  debatedOn?: string | null;
  overview?: string | null;
  transcriptUrl?: string | null;
  videoUrl?: string | null;
  researchUrl?: string | null;
}): DebateOutcomeInput {
  const fields: Record<string, string> = {};
  const debatedOn = blank(raw.debatedOn);
  if (debatedOn === null || !isLocalDate(debatedOn)) fields.debated_on = 'invalid';
  const overview = blank(raw.overview);
  if (overview !== null && overview.length > MAX_TRACK_TEXT) fields.overview = 'too_long';
  const link = (key: string, v: string | null | undefined) => {
    const s = blank(v);
    if (s !== null && !isHttpsUrl(s)) fields[key] = 'not_https';
    return s;
  };
  const transcriptUrl = link('transcript_url', raw.transcriptUrl);
  const videoUrl = link('video_url', raw.videoUrl);
  const researchUrl = link('research_url', raw.researchUrl);
  if (Object.keys(fields).length > 0) {
    throw new DomainError(
      'invalid_parameter',
      'Give the date the petition was debated (YYYY-MM-DD); links must be https addresses; the summary may be up to 10,000 characters.',
      { fields },
    );
  }
  return { debatedOn: debatedOn as string, overview, transcriptUrl, videoUrl, researchUrl };
}

/**
 * The public reason for not debating a petition.
 * @throws DomainError('invalid_parameter', `{ fields: { reason } }`) when empty or over 10,000 characters
 */
export function notDebatedReason(raw: string | null | undefined): string {
  const v = blank(raw);
  if (v === null || v.length > MAX_TRACK_TEXT) {
    throw new DomainError(
      'invalid_parameter',
      'Say publicly why the Committee decided not to debate this petition (up to 10,000 characters).',
      { fields: { reason: v === null ? 'required' : 'too_long' } },
    );
  }
  return v;
}

/** True for an absolute https URL without credentials. */
export function isHttpsUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.username === '' && u.password === '' && u.hostname !== '';
  } catch {
    return false;
  }
}
