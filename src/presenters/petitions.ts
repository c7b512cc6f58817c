import type { ProfileView } from '../config/runtime-settings.js';
import type { OfficialResponseRow, PetitionRow } from '../db/schema.js';
import { archivedCopyUrl } from '../domain/archive-links.js';
import { isCommitteeState } from '../domain/committee-track.js';
import { isDebateState } from '../domain/response-track.js';
import type { PetitionCountRow } from '../repositories/open-data.js';
import type { DebateOutcome, TrackEvent } from '../repositories/tracks.js';
import { formatDate, formatLastDay } from './format.js';

/**
 * Presenters choose every public field explicitly. Petitions carry no personal data of signers; creators'
 * identities are never presented. Counts: `agreement_count` is the public count — the archived total for imported
 * records (`count_source: 'archive'`, no signer rows behind it), the live count otherwise.
 */
export interface PetitionSummaryJson {
  id: number;
  title: string;
  profile: string;
  category: { code: string; name: string } | null;
  state: string;
  response_state: string;
  agreement_count: number;
  count_source: 'archive' | 'live';
  /** false when the archive counted the petition before it closed (its total is not final); null for live counts. */
  count_final: boolean | null;
  opened_at: string | null;
  last_day: string | null;
  closes_at: string | null;
  closed_at: string | null;
  url: string;
  archive: { source: string; source_id: string; source_state: string | null; url: string | null } | null;
}

export interface PetitionJson extends PetitionSummaryJson {
  /** null when the archive lacks it, or while the election-period switch withholds the petition's category. */
  body: string | null;
  /** The public reason the petition's text is withheld (election-period switch), or null. */
  withheld_reason: string | null;
  thresholds: Array<{ kind: 'response' | 'debate'; agreements: number; reached_at: string | null }>;
  response_due_at: string | null;
  official_responses: OfficialResponseJson[];
  debate: {
    state: 'none' | 'awaiting' | 'scheduled' | 'debated' | 'not_debated';
    scheduled_on: string | null;
    debated_on: string | null;
    overview: string | null;
    transcript_url: string | null;
    video_url: string | null;
    research_url: string | null;
  } | null;
  committee: { state: 'none' | 'referred' | 'under_review' | 'decided' | 'ended_with_term' } | null;
  timeline: Array<{
    track: 'debate' | 'committee';
    stage: string;
    on: string | null;
    committee: string | null;
    note: string | null;
    at: string;
  }>;
}

/** A petition's parliamentary track as the detail answer carries it (repositories/tracks.ts reads). */
export interface PetitionTracks {
  tracks: readonly ('debate' | 'committee')[];
  events: TrackEvent[];
  outcome: DebateOutcome | undefined;
  scheduledOn: string | null;
}

export interface OfficialResponseJson {
  id: number;
  summary: string | null;
  body: string;
  responder_name: string | null;
  responder_title: string | null;
  video_url: string | null;
  published_at: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentPetitionSummary(row: PetitionRow, profile: ProfileView): PetitionSummaryJson {
  return {
    id: Number(row.id),
    title: row.title,
    profile: row.profile,
    category: row.category ? { code: row.category, name: profile.categoryName(row.category) } : null,
    state: row.state,
    response_state: row.response_state,
    agreement_count: row.public_count,
    count_source: row.archived_agreement_count !== null ? 'archive' : 'live',
    count_final: row.archived_count_final,
    opened_at: iso(row.opened_at),
    last_day: row.closes_at ? formatLastDay(row.closes_at, profile.timeZone) : null,
    closes_at: iso(row.closes_at),
    closed_at: iso(row.closed_at),
    url: `/petitions/${row.id}`,
    archive:
      row.archive_source && row.archive_source_id
        ? {
            source: row.archive_source,
            source_id: row.archive_source_id,
            source_state: row.archive_source_state,
            // where the original can be read today (Blue House: the Presidential Archives' preserved copy)
            url: archivedCopyUrl(row.archive_source, row.archive_source_id, row.archive_source_url),
          }
        : null,
  };
}

/**
 * A petition as the API's detail answers it. `withheld` (the election switch's public reason, or null) empties
 * `body`, as the petition page does.
 */
export function presentPetition(
  row: PetitionRow,
  responses: OfficialResponseRow[],
  profile: ProfileView,
  withheld: string | null = null,
  tracks?: PetitionTracks,
): PetitionJson {
  const o = tracks?.outcome;
  return {
    ...presentPetitionSummary(row, profile),
    body: withheld === null ? row.body : null,
    withheld_reason: withheld,
    thresholds: presentThresholds(row, profile),
    response_due_at: iso(row.response_due_at),
    official_responses: responses.map(presentOfficialResponse),
    debate: tracks?.tracks.includes('debate')
      ? {
          state: isDebateState(row.debate_state) ? row.debate_state : 'none',
          scheduled_on: tracks.scheduledOn,
          debated_on: o?.debatedOn ?? null,
          overview: o?.overview ?? null,
          transcript_url: o?.transcriptUrl ?? null,
          video_url: o?.videoUrl ?? null,
          research_url: o?.researchUrl ?? null,
        }
      : null,
    committee: tracks?.tracks.includes('committee')
      ? { state: isCommitteeState(row.committee_state) ? row.committee_state : 'none' }
      : null,
    timeline: (tracks?.events ?? []).map((e) => ({
      track: e.track,
      stage: e.stage,
      on: e.occurredOn,
      committee: e.bodyName,
      note: e.note,
      at: e.at.toISOString(),
    })),
  };
}

/** The thresholds that apply to a petition, each with the moment it was reached (null: not reached). */
export function presentThresholds(
  row: ThresholdColumns,
  profile: ProfileView,
): Array<{ kind: 'response' | 'debate'; agreements: number; reached_at: string | null }> {
  const thresholds: PetitionJson['thresholds'] = [];
  const { response, debate } = petitionThresholds(row, profile);
  if (response !== null) {
    thresholds.push({
      kind: 'response',
      agreements: response,
      reached_at: iso(row.response_threshold_reached_at),
    });
  }
  if (debate !== null) {
    thresholds.push({ kind: 'debate', agreements: debate, reached_at: iso(row.debate_threshold_reached_at) });
  }
  return thresholds;
}

type ThresholdColumns = Pick<
  PetitionRow,
  'response_threshold' | 'debate_threshold' | 'response_threshold_reached_at' | 'debate_threshold_reached_at'
>;

/**
 * The live counter of `GET /api/v1/petitions/{id}/count`: a few hundred bytes, no text. `updated_at` is when the
 * petition row last changed (a count written by the agreement writer, a state change).
 */
export interface PetitionCountJson {
  id: number;
  count: number;
  count_source: 'archive' | 'live';
  state: string;
  response_state: string;
  thresholds: PetitionJson['thresholds'];
  closes_at: string | null;
  updated_at: string;
}

export function presentPetitionCount(row: PetitionCountRow, profile: ProfileView): PetitionCountJson {
  return {
    id: Number(row.id),
    count: row.public_count,
    count_source: row.archived_agreement_count !== null ? 'archive' : 'live',
    state: row.state,
    response_state: row.response_state,
    thresholds: presentThresholds(row, profile),
    closes_at: iso(row.closes_at),
    updated_at: row.updated_at.toISOString(),
  };
}

export function presentOfficialResponse(r: OfficialResponseRow): OfficialResponseJson {
  return {
    id: Number(r.id),
    summary: r.summary,
    body: r.body,
    responder_name: r.responder_name,
    responder_title: r.responder_title,
    video_url: r.video_url,
    published_at: iso(r.published_at),
  };
}

/**
 * The thresholds that apply to a petition: those fixed on it when it was published or imported (the rules of its
 * time), else the profile's current settings.
 */
export function petitionThresholds(
  row: Pick<PetitionRow, 'response_threshold' | 'debate_threshold'>,
  profile: ProfileView,
): { response: number | null; debate: number | null } {
  return {
    response: row.response_threshold ?? profile.responseThreshold,
    debate: row.debate_threshold ?? profile.debateThreshold,
  };
}

/** 'YYYY-MM-DD ~ YYYY-MM-DD' agreement period in the profile's zone. */
export function periodText(row: PetitionRow, profile: ProfileView): string {
  const from = formatDate(row.opened_at, profile.timeZone);
  const to = formatLastDay(row.closes_at, profile.timeZone);
  return from || to ? `${from} ~ ${to}` : '';
}
