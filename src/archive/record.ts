/**
 * The shape every archive parser produces: one historic petition, normalised, ready to be stored as an archived
 * record (closed or answered, with an *archived total* instead of signer rows).
 */

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
