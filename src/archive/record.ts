/**
 * The shape every archive parser produces: one historic petition, normalised, ready to be stored as an archived
 * record (closed or answered, with an *archived total* instead of signer rows), and the one definition of what such
 * a record defaults to: the fields a source leaves unsaid (`RECORD_DEFAULTS`) and the petition columns it becomes
 * (`archivedPetitionColumns`).
 */
import type { NewPetition } from '../db/schema.js';
import { archivedStates } from '../domain/petition-states.js';

/** Which public archive a record came from. `cwd` ids are the president.go.kr/petitions/<id> numbers. */
export const ARCHIVE_SOURCES = [
  'cwd', // 청와대 국민청원 (korkeep, lovit, gyunggyung crawls share the board's own ids)
  'cwd-list', // choi-jiwoo list of CWD petitions 2019–2021: its own numbering, no body text
  'assembly', // 국회 국민동의청원 (jeongkyu-im-git dataset: row numbers only)
  'uk', // petition.parliament.uk
  'wtp', // We the People (petitions.obamawhitehouse.archives.gov)
  'cheongwon', // a petition created on a Cheongwon deployment, read from its open-data dump (id = its number there)
] as const;
export type ArchiveSource = (typeof ARCHIVE_SOURCES)[number];

/** The archive file formats Cheongwon can read; detected from content (see `detect.ts`). */
export type ArchiveFormat =
  | 'cwd-korkeep-jsonl'
  | 'cwd-lovit-jsonl'
  | 'cwd-answers-csv'
  | 'cwd-list-csv'
  | 'cwd-crawl-csv'
  | 'assembly-csv'
  | 'uk-json'
  | 'wtp-csv'
  | 'cheongwon-dump';

export interface ArchivedResponse {
  /** Full text of the official answer (plain text, paragraphs separated by blank lines). */
  body: string;
  /** Short summary where the source has one (UK `government_response.summary`). */
  summary: string | null;
  /** When the answer was published, UTC ISO-8601; null when the source does not say. */
  publishedAt: string | null;
}

export interface ArchivedPetitionRecord {
  source: ArchiveSource;
  /** Stable id within `source` (president.go.kr id, UK petition number, …); for sources without ids a key
   *  derived from content so that re-imports match. */
  sourceId: string;
  /** Policy profile the petition ran under: 'cheongwadae' | 'assembly' | 'uk' | 'wtp'. */
  profile: string;
  title: string;
  /** Petition text; null when the source has none (lists, answered rows whose text the crawl lost). */
  body: string | null;
  /** The source's category label as written (e.g. '인권/성평등'); null when absent. */
  category: string | null;
  /** First day of the agreement period, local date 'YYYY-MM-DD' in the profile's time zone. */
  openedOn: string;
  /** Last day of the agreement period, local date 'YYYY-MM-DD' in the profile's time zone. */
  lastDay: string;
  /** Exact UTC instants where the source gives them (UK JSON); otherwise null and derived from the dates. */
  openedAt: string | null;
  closedAt: string | null;
  /** Final agreement count as published by the source (the archived total). Integer ≥ 0. */
  agreementCount: number;
  /** The source's own state label, kept for provenance ('청원종료', '브리핑', 'closed', …). */
  sourceState: string;
  /** True when the source says an official answer was given (CWD '브리핑', UK government_response). */
  answered: boolean;
  /**
   * When the petition was answered (UTC ISO-8601), where the source says so apart from the response (Cheongwon
   * dumps); absent → the response's publishedAt.
   */
  answeredAt?: string | null;
  response: ArchivedResponse | null;
  /** Public URL of the original, where known. */
  sourceUrl: string | null;
  /** When the response / debate threshold was crossed (UTC ISO-8601), where the source says (UK); absent: unknown. */
  thresholdsReachedAt?: { response: string | null; debate: string | null };
  /** The parliamentary debate as the source tracked it (UK); absent: the source has no debate track. */
  debate?: {
    state: 'none' | 'awaiting' | 'scheduled' | 'debated' | 'not_debated';
    scheduledOn: string | null;
  };
  /** Signatures per area as the source published them (UK by country, constituency, region): imported aggregates. */
  areaCounts?: ArchivedAreaCount[];
  /** Everything else the source says about the petition that has no field here, as published (one JSON object). */
  details?: Record<string, unknown>;
}

/** One area's count as an archive source published it: no signer rows behind it. */
export interface ArchivedAreaCount {
  scope: 'country' | 'constituency' | 'region';
  /** ISO 3166 alpha-2 for a country, ONS code for a constituency or region, as the source gave it. */
  code: string;
  name: string;
  /** The constituency's MP at the time of the count (a public office holder); null otherwise. */
  mp: string | null;
  count: number;
}

/** A row a parser could not turn into a record: reported with file and line, never stored. */
export interface RejectedRow {
  file: string;
  /** 1-based physical line where the row starts. */
  line: number;
  reason: string;
}

export type ParsedRow =
  | { ok: true; line: number; record: ArchivedPetitionRecord }
  | { ok: false; rejected: RejectedRow };

/**
 * What a record says when its source is silent about it, the same for every format: no exact instants
 * (`openedAt`/`closedAt` null: derived from the dates and the profile's zone), the petition had ended
 * (`sourceState` 'closed': lists and datasets without a status column hold ended petitions only), no official
 * answer (`answered` false, `response` null) and no public page (`sourceUrl` null). A format mapper passes what its
 * source does say; `buildRecord` (build.ts) fills the rest from here.
 */
export const RECORD_DEFAULTS = {
  openedAt: null,
  closedAt: null,
  sourceState: 'closed',
  answered: false,
  response: null,
  sourceUrl: null,
} as const satisfies Partial<ArchivedPetitionRecord>;

/** A record's fields without those `RECORD_DEFAULTS` supplies (each may still be given). */
export type RecordFields = Omit<ArchivedPetitionRecord, keyof typeof RECORD_DEFAULTS> &
  Partial<Pick<ArchivedPetitionRecord, keyof typeof RECORD_DEFAULTS>>;

/** Source state labels of records counted before the petition closed (korkeep '청원진행중', UK and dump 'open'). */
const NON_FINAL_SOURCE_STATES: ReadonlySet<string> = new Set(['청원진행중', 'open']);

/** True when the archive's total is the petition's final count (it was taken after close). */
export function isFinalCount(record: Pick<ArchivedPetitionRecord, 'sourceState'>): boolean {
  return !NON_FINAL_SOURCE_STATES.has(record.sourceState);
}

/**
 * The state and count columns of the petition an imported record becomes — the one definition the importer inserts
 * with and completes towards: `closed` with response state `answered` or `none` (`archivedStates`), the source's
 * total as the archived total (no signer rows), final unless it was counted before close (`isFinalCount`).
 */
export function archivedPetitionColumns(
  r: Pick<ArchivedPetitionRecord, 'answered' | 'agreementCount' | 'sourceState'>,
): Required<
  Pick<NewPetition, 'state' | 'response_state' | 'archived_agreement_count' | 'archived_count_final'>
> {
  const { state, responseState } = archivedStates(r.answered);
  return {
    state,
    response_state: responseState,
    archived_agreement_count: r.agreementCount,
    archived_count_final: isFinalCount(r),
  };
}
