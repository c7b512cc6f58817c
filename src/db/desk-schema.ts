import type { ColumnType, Generated } from 'kysely';
import type {
  ApiScope,
  BankKind,
  BankProvenance,
  BankReviewStatus,
  CasePriority,
  CaseState,
  HashAlgorithm,
  HashState,
  MatchFeedback,
  NoticeLanguage,
  NoticeState,
  PlatformKind,
  TakedownState,
} from '../domain/desk/types.js';

/** Kysely types of the response desk's tables (issue 14); the DDL is migration 2026-12-07T1400_response_desk. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type BigintId = string;

export interface DeskCasesTable {
  id: Generated<string>;
  case_number: string;
  /** argon2id PHC string of the PIN (the PIN itself is shown once and never stored). */
  pin_hash: string;
  priority: Generated<CasePriority>;
  locale: Generated<'ko' | 'en'>;
  /** Counsellor contact the victim gave (AES-256-GCM, 'v1.<iv>.<tag>.<ct>'), or null. */
  contact_enc: string | null;
  state: Generated<CaseState>;
  created_at: Timestamp;
  withdrawn_at: Timestamp | null;
  /** End of retention (UTC): the scheduler deletes the case and all of it then. */
  purge_after: Timestamp;
}

export interface DeskBanksTable {
  id: Generated<string>;
  name: string;
  provenance: BankProvenance;
  review_status: Generated<BankReviewStatus>;
  kind: Generated<BankKind>;
  /** Largest PDQ Hamming distance (bits) that matches this bank's hashes. */
  pdq_threshold: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface DeskHashesTable {
  id: Generated<string>;
  bank_id: BigintId;
  case_id: BigintId | null;
  algorithm: HashAlgorithm;
  /** Lower-case hex: 64 characters for PDQ, 32 for MD5. */
  hash: string;
  /** PDQ quality 0–100; null for MD5. */
  quality: number | null;
  state: Generated<HashState>;
  external_id: string | null;
  /** Position in the change feed (`desk_hash_change_seq`), moved on every change. */
  change_seq: BigintId;
  created_at: Timestamp;
  changed_at: Timestamp;
}

export interface DeskPlatformsTable {
  id: Generated<string>;
  name: string;
  kind: PlatformKind;
  jurisdiction: string | null;
  notice_email: string | null;
  created_at: Timestamp;
}

export interface DeskApiKeysTable {
  id: Generated<string>;
  platform_id: BigintId;
  /** SHA-256 hex of the key. */
  key_hash: string;
  scopes: ColumnType<ApiScope[], ApiScope[], ApiScope[]>;
  requests_per_minute: Generated<number>;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface DeskApiRequestsTable {
  id: Generated<string>;
  at: Timestamp;
  platform_id: BigintId | null;
  key_id: BigintId | null;
  endpoint: string;
  status: number;
}

export interface DeskMatchesTable {
  id: Generated<string>;
  platform_id: BigintId;
  hash_id: BigintId;
  query_algorithm: HashAlgorithm;
  query_hash: string;
  distance: number;
  feedback: Generated<MatchFeedback>;
  matched_at: Timestamp;
  feedback_at: Timestamp | null;
}

export interface DeskTakedownsTable {
  id: Generated<string>;
  case_id: BigintId | null;
  url: string;
  site: string;
  platform_id: BigintId | null;
  jurisdiction: string | null;
  language: Generated<NoticeLanguage>;
  state: Generated<TakedownState>;
  sent_at: Timestamp | null;
  due_at: Timestamp | null;
  extended_at: Timestamp | null;
  resolved_at: Timestamp | null;
  escalated_at: Timestamp | null;
  next_recheck_at: Timestamp | null;
  rechecks: Generated<number>;
  reupload_of: BigintId | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DeskNoticesTable {
  id: Generated<string>;
  takedown_id: BigintId;
  language: NoticeLanguage;
  recipient: string;
  subject: string;
  body: string;
  state: Generated<NoticeState>;
  drafted_by: BigintId | null;
  approved_by: BigintId | null;
  approved_at: Timestamp | null;
  sent_at: Timestamp | null;
  created_at: Timestamp;
}

export interface DeskEvidenceTable {
  id: Generated<string>;
  takedown_id: BigintId | null;
  url: string;
  captured_at: Timestamp;
  /** SHA-256 hex of the captured bytes. */
  sha256: string;
  recorded_by: string;
  staff_id: BigintId | null;
  content_enc: Buffer | null;
  purge_after: Timestamp;
}

export interface DeskSettingsTable {
  id: Generated<boolean>;
  capture_storage: Generated<boolean>;
  flood_window_minutes: Generated<number>;
  flood_limit: Generated<number>;
  updated_at: Generated<Date>;
}

/** The desk's tables, merged into `Database` (db/schema.ts). */
export interface DeskTables {
  desk_cases: DeskCasesTable;
  desk_banks: DeskBanksTable;
  desk_hashes: DeskHashesTable;
  desk_platforms: DeskPlatformsTable;
  desk_api_keys: DeskApiKeysTable;
  desk_api_requests: DeskApiRequestsTable;
  desk_matches: DeskMatchesTable;
  desk_takedowns: DeskTakedownsTable;
  desk_notices: DeskNoticesTable;
  desk_evidence: DeskEvidenceTable;
  desk_settings: DeskSettingsTable;
}
