import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CommitteeState } from '../domain/committee-track.js';
import type { PetitionState, ResponseState } from '../domain/petition-states.js';
import type { DebateState } from '../domain/response-track.js';
import type { StaffRole } from '../domain/staff.js';
import type { DeskTables } from './desk-schema.js';

/** Kysely table types; the DDL is in `migrations/` (the source of truth). Timestamps are UTC instants. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface PetitionsTable {
  id: Generated<string>; // bigint comes back as a decimal string from pg; presenters convert
  profile: string;
  category: string | null;
  title: string;
  body: string | null;
  /** searchText(title) (domain/search-text.ts): what search reads; filled with `searchColumns` on every write. */
  search_title: string;
  /** searchText(title) + '\n' + searchText(body): what search reads; filled with `searchColumns` on every write. */
  search_document: string;
  /** tsvector of the bigrams of search_title (domain/search-text.ts `searchGrams`), GIN-indexed. */
  search_title_grams: string;
  /** tsvector of the bigrams of search_document, GIN-indexed: the search index. */
  search_grams: string;
  state: PetitionState;
  response_state: Generated<ResponseState>;
  agreement_count: Generated<number>;
  /**
   * Entries in the petition's transparency log (bigint as a decimal string): advanced by the same UPDATE that moves
   * `agreement_count`, whose batch's entries take the indices just below it (migration 2026-12-07T1330).
   */
  log_size: Generated<string>;
  archived_agreement_count: number | null;
  archived_count_final: boolean | null;
  response_threshold: number | null;
  debate_threshold: number | null;
  public_count: ColumnType<number, never, never>;
  opened_at: Timestamp | null;
  closes_at: Timestamp | null;
  closed_at: Timestamp | null;
  response_threshold_reached_at: Timestamp | null;
  debate_threshold_reached_at: Timestamp | null;
  response_due_at: Timestamp | null;
  answered_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  archive_source: string | null;
  archive_source_id: string | null;
  archive_source_state: string | null;
  archive_source_url: string | null;
  archive_category_label: string | null;
  imported_at: Timestamp | null;
  /** SHA-256 hex of the creator's private pre-agreement link token (사전동의), while collecting. */
  sponsor_token_hash: string | null;
  /** UK debate track: none → awaiting (debate threshold reached) → scheduled → debated | not_debated. */
  debate_state: Generated<DebateState>;
  /** Local date ('YYYY-MM-DD') of a scheduled debate. */
  debate_scheduled_on: ColumnType<string | null, string | null | undefined, string | null>;
  debate_decided_at: Generated<Date | null>;
  /** When the petition reached review (in_review), for the queue's waiting time. */
  review_started_at: Generated<Date | null>;
  /** The petition this one duplicates (marked by a moderator); its page points there. */
  duplicate_of: Generated<string | null>;
  /** State the petition was in when a moderator hid it wholly (for un-hiding). */
  hidden_from: Generated<PetitionState | null>;
  /** Public reason of a rejection (from `reject_reasons`, possibly edited), shown on the petition page. */
  rejection_reason: Generated<string | null>;
  /** True while passages of the title or body are replaced by a visible marker (originals: petition_redactions). */
  hidden_in_part: Generated<boolean>;
  /** When the petition started collecting pre-agreements (사전동의): the window (`preAgreementPeriod`) runs from it. */
  collecting_since: Generated<Date | null>;
  /** When the scheduler found the pre-agreement window ended without enough supporters (state `lapsed`). */
  lapsed_at: Generated<Date | null>;
  /** When the scheduler found the petition past the review target while in review (shown to staff). */
  review_overdue_at: Generated<Date | null>;
  /** True when a rejection reason withholds the title too (defamation, libel): no public output shows it. */
  title_hidden: Generated<boolean>;
  /** National Assembly committee track (domain/committee-track.ts). */
  committee_state: Generated<CommitteeState>;
}

/** One public step of a parliamentary track (UK debate, Assembly committee): the petition's timeline. */
export interface PetitionTrackEventsTable {
  id: Generated<string>;
  petition_id: string;
  track: 'debate' | 'committee';
  stage: string;
  /** Local date ('YYYY-MM-DD') the event is about. */
  occurred_on: ColumnType<string | null, string | null | undefined, string | null>;
  body_name: string | null;
  note: string | null;
  staff_id: string | null;
  at: Timestamp;
}

/** What a UK debate produced, or that it did not happen. */
export interface DebateOutcomesTable {
  petition_id: string;
  debated: boolean;
  debated_on: ColumnType<string | null, string | null | undefined, string | null>;
  overview: string | null;
  transcript_url: string | null;
  video_url: string | null;
  research_url: string | null;
  recorded_at: Timestamp;
}

/** The operator's import of the ONS postcode lookup (NSPL): postcode → constituency and country. */
export interface PostcodesTable {
  postcode: string;
  constituency: string;
  country: string;
}

export interface ConstituenciesTable {
  code: string;
  name: string;
}

export interface OfficialResponsesTable {
  id: Generated<string>;
  summary: string | null;
  body: string;
  responder_name: string | null;
  responder_title: string | null;
  video_url: string | null;
  published_at: Timestamp | null;
  created_at: CreatedAt;
  archive_source: string | null;
  archive_source_id: string | null;
  /** 'draft' (not public) or 'published'; imported archive answers are published. */
  state: Generated<'draft' | 'published'>;
  title: Generated<string | null>;
  /** 'text' (archive answers: paragraphs) or 'markdown' (answers written here; rendered with html off). */
  body_format: Generated<'text' | 'markdown'>;
  /** https link to the captions or transcript of `video_url`. */
  video_caption_url: Generated<string | null>;
  /** Last revision after publication, or null. */
  revised_at: Generated<Date | null>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Every saved version of an official response (append-only). */
export interface OfficialResponseRevisionsTable {
  id: Generated<string>;
  official_response_id: string;
  revision: number;
  phase: 'draft' | 'published' | 'revised';
  title: string | null;
  summary: string | null;
  body: string;
  body_format: 'text' | 'markdown';
  responder_name: string | null;
  responder_title: string | null;
  video_url: string | null;
  video_caption_url: string | null;
  actor_label: string;
  actor_staff_id: string | null;
  created_at: Timestamp;
}

/** The creator of a petition, for notifications (filled by petition creation). */
export interface PetitionCreatorsTable {
  petition_id: string;
  email: string;
  name: string;
  locale: Generated<'ko' | 'en'>;
  unsubscribed_at: Timestamp | null;
  created_at: CreatedAt;
}

/** How a petition was created through the form: its idempotency key and the creator's emailed confirmation. */
export interface PetitionCreationsTable {
  petition_id: string;
  /** The form's idempotency token (43 base64url characters): one petition per submitted form. */
  submission_key: string;
  /** SHA-256 hex of the emailed confirmation token; null for signed-in creators. */
  confirmation_token_hash: string | null;
  token_expires_at: Timestamp | null;
  confirmed_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface NotificationOutboxTable {
  id: Generated<string>;
  kind: string;
  dedupe_key: string;
  petition_id: string | null;
  payload: ColumnType<Record<string, unknown>, string, string>;
  state: Generated<'pending' | 'done' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: Timestamp | null;
  created_at: Timestamp;
  done_at: Timestamp | null;
}

export interface NotificationFanoutsTable {
  id: Generated<string>;
  outbox_id: string;
  kind: string;
  petition_id: string;
  /** bigint: the last agreement id expanded (decimal string from pg). */
  cursor: ColumnType<string, string | number | undefined, string | number>;
  total: Generated<number>;
  queued: Generated<number>;
  skipped: Generated<number>;
  expanded_at: Timestamp | null;
  created_at: Timestamp;
}

export interface NotificationDeliveriesTable {
  id: Generated<string>;
  dedupe_key: string;
  kind: string;
  /** Null for a response-desk notice to a platform (kind 'desk.notice'). */
  petition_id: string | null;
  /** 'agreement:<id>' for a signer, 'creator' for the petition's creator, 'desk-notice:<id>' for a desk notice. */
  recipient: string;
  agreement_id: string | null;
  fanout_id: string | null;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  state: Generated<'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'cancelled'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: Timestamp | null;
  message_id: string;
  created_at: Timestamp;
  sending_at: Timestamp | null;
  sent_at: Timestamp | null;
}

/** Where an archived area count was counted: UK signatures by country, by constituency, by region. */
export type AreaScope = 'country' | 'constituency' | 'region';

/**
 * Signatures per area as an archive source published them (UK `signatures_by_*`): imported aggregates, no
 * agreement rows behind them (migration 2026-12-04T2200).
 */
export interface ArchivedAreaCountsTable {
  petition_id: string;
  scope: AreaScope;
  /** The row's place in the source's list (0-based). */
  position: number;
  /** ISO 3166 alpha-2 (country) or ONS code (constituency, region), as the source gave it. */
  code: string;
  name: string;
  mp: string | null;
  signature_count: number;
}

/** What an archive source said about a petition beyond its columns (UK debate, departments, topics, …). */
export interface ArchivedPetitionDetailsTable {
  petition_id: string;
  details: ColumnType<Record<string, unknown>, string, string>;
}

/** A search index of `petitions` dropped for a bulk load and not yet rebuilt (its `CREATE INDEX` text). */
export interface DeferredIndexesTable {
  name: string;
  definition: string;
  deferred_at: Generated<Date>;
}

export interface PetitionOfficialResponsesTable {
  petition_id: string;
  official_response_id: string;
}

export interface ProfileSettingsTable {
  profile: string;
  overrides: ColumnType<Record<string, unknown>, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AgreementsTable {
  id: Generated<string>;
  petition_id: string;
  /** HMAC-SHA256 hex of (petition, pseudonymous person id): one person, one agreement per petition. */
  signer_key: string;
  /** 'creator': the creator's own agreement (profiles that count it), their address proven by the creation link. */
  method: 'email' | 'oidc' | 'creator';
  region: string | null;
  locale: Generated<'ko' | 'en'>;
  notify: Generated<boolean>;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
  confirmation_token_hash: string | null;
  token_expires_at: Timestamp | null;
  /** SHA-256 of the receipt secret of an emailed agreement, until its confirmation makes the log leaf. */
  receipt_commitment: Buffer | null;
  /** The client's network prefix at signing (IPv4 /24, IPv6 /48; never the address), or null. */
  network_prefix: string | null;
  /** The lower-cased domain of an emailed agreement's address, or null. */
  email_domain: string | null;
  /** The identity provider of a one-click agreement, or null. */
  provider: string | null;
  /** Set when an approved invalidation removed the agreement from the count (the row stays). */
  invalidated_at: Timestamp | null;
  invalidation_id: string | null;
  reinstated_at: Timestamp | null;
  /** UK: the Westminster constituency (ONS code) the signer's postcode led to; never the postcode. */
  constituency: Generated<string | null>;
}

/** Runtime block / allow lists (migration 2026-12-07T1370). */
export interface FraudListEntriesTable {
  id: Generated<string>;
  kind: 'prefix' | 'domain';
  value: string;
  action: 'block' | 'allow';
  reason: string | null;
  created_by: string | null;
  created_at: Timestamp;
  removed_by: string | null;
  removed_at: Timestamp | null;
}

/** One accountable invalidation request (migration 2026-12-07T1370). */
export interface InvalidationsTable {
  id: Generated<string>;
  petition_id: string;
  filter: string;
  criteria_class: string;
  reason_code: number;
  state: 'requested' | 'running' | 'done' | 'cancelled' | 'rejected';
  planned: number;
  applied: Generated<number>;
  requested_by: string;
  requested_at: Timestamp;
  approved_by: string | null;
  approved_at: Timestamp | null;
  ended_by: string | null;
  ended_at: Timestamp | null;
  statement_text: string | null;
  statement_idx: string | null;
}

export interface InvalidationTargetsTable {
  invalidation_id: string;
  agreement_id: string;
  applied_at: Timestamp | null;
}

/** A petition's transparency log: its tag key K_p (encrypted; null once destroyed) and latest signed checkpoint. */
export interface PetitionLogsTable {
  petition_id: string;
  /** K_p encrypted under the deployment secret ('v1.<iv>.<tag>.<ciphertext>'); null once destroyed. */
  key_ciphertext: string | null;
  key_destroyed_at: Timestamp | null;
  /** Size of the latest signed checkpoint (bigint as a decimal string). */
  signed_size: ColumnType<string, string | number | undefined, string | number>;
  signed_root: Buffer | null;
  /** The latest signed checkpoint, a C2SP signed note. */
  checkpoint: string | null;
  signed_at: Timestamp | null;
  /** Size of the last checkpoint of this log the publisher appended to the heads log. */
  published_size: ColumnType<string, string | number | undefined, string | number>;
  created_at: Timestamp;
}

/** One entry of a petition's log (kinds in src/domain/tlog/entries.ts). */
export interface LogEntriesTable {
  petition_id: string;
  idx: ColumnType<string, string | number, string | number>;
  entry: Buffer;
  agreement_id: string | null;
}

/** An immutable C2SP tlog-tiles tile or entry bundle; `log` is 'heads' or 'petitions/<id>'. */
export interface LogTilesTable {
  log: string;
  path: string;
  data: Buffer;
}

/** The heads log's entries: petition checkpoint bodies. */
export interface HeadsEntriesTable {
  idx: ColumnType<string, string | number, string | number>;
  entry: Buffer;
}

/** The heads log's state (one row): latest signed checkpoint, and the latest one witnesses cosigned. */
export interface HeadsLogTable {
  id: Generated<number>;
  size: ColumnType<string, string | number | undefined, string | number>;
  root: Buffer | null;
  checkpoint: string | null;
  cosigned_checkpoint: string | null;
  cosigned_size: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  signed_at: Timestamp | null;
}

/** The logs' Ed25519 note signing keys ('petitions', 'heads'), sealed under the deployment secret. */
export interface LogSignerTable {
  role: 'petitions' | 'heads';
  name: string;
  key_ciphertext: string;
  vkey: string;
  created_at: Timestamp;
}

export interface AgreementContactsTable {
  agreement_id: string;
  email: string;
  name: string;
  created_at: Timestamp;
}

export interface DevMailboxTable {
  id: Generated<string>;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  sent_at: Timestamp;
}

/** One staff role (`STAFF_ROLES`, domain/staff.ts). */
export type { StaffRole };

export interface StaffAccountsTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  roles: ColumnType<StaffRole[], StaffRole[] | undefined, StaffRole[]>;
  /** argon2id PHC string; null until a password is set (OIDC-only staff). */
  password_hash: string | null;
  /** TOTP secret, AES-256-GCM encrypted under a key derived from the deployment secret. */
  totp_secret_enc: string | null;
  /** Last accepted TOTP time step (30 s units since the epoch); a code is never accepted twice. */
  totp_last_step: ColumnType<string | null, number | string | null, number | string | null>;
  disabled_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface StaffOidcIdentitiesTable {
  staff_id: string;
  issuer: string;
  subject: string;
  created_at: CreatedAt;
}

export interface StaffSessionsTable {
  /** SHA-256 hex of the session cookie's random token. */
  token_hash: string;
  staff_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  staff_id: string | null;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  reason: string | null;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
}

export interface RejectReasonsTable {
  code: string;
  label: string;
  public_text: string;
  active: Generated<boolean>;
  position: Generated<number>;
  label_en: Generated<string | null>;
  public_text_en: Generated<string | null>;
  /** The reason withholds the petition's title too (defamation, libel). */
  hides_title: Generated<boolean>;
}

export interface ModerationCheckoutsTable {
  petition_id: string;
  staff_id: string;
  checked_out_at: Timestamp;
  expires_at: Timestamp;
}

export type ModerationDecisionKind =
  | 'publish'
  | 'reject'
  | 'hide'
  | 'unhide'
  | 'hide_in_part'
  | 'unhide_in_part'
  | 'duplicate'
  | 'restore'
  | 'takedown'
  | 'edit';

export interface ModerationDecisionsTable {
  id: Generated<string>;
  petition_id: string;
  staff_id: string;
  decision: ModerationDecisionKind;
  reason_code: string | null;
  public_reason: string | null;
  note: string | null;
  decided_at: Timestamp;
  creator_notified_at: Timestamp | null;
}

/** One hidden passage: offsets in UTF-16 code units of the original text. */
export interface RedactedPassage {
  start: number;
  end: number;
  text: string;
  label: string;
}

export interface PetitionRedactionsTable {
  id: Generated<string>;
  petition_id: string;
  field: 'title' | 'body';
  original_text: string;
  masked_text: string;
  passages: ColumnType<RedactedPassage[], string, never>;
  staff_id: string;
  created_at: Timestamp;
  restored_at: Timestamp | null;
}

export interface PersonalDataFlagsTable {
  id: Generated<string>;
  petition_id: string;
  version: string;
  field: 'title' | 'body';
  kind: string;
  start_offset: number;
  end_offset: number;
  matched_text: string;
  mask: string;
  confidence: 'high' | 'review';
  resolution: 'masked' | 'overridden' | null;
  resolution_reason: string | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
}

export interface ModerationSettingsTable {
  profile: string;
  review_target_days: Generated<number>;
  review_near_days: Generated<number>;
  election_active: Generated<boolean>;
  election_categories: ColumnType<string[], string[] | undefined, string[]>;
  election_reason: Generated<string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface Database extends DeskTables {
  petitions: PetitionsTable;
  official_responses: OfficialResponsesTable;
  petition_official_responses: PetitionOfficialResponsesTable;
  archived_area_counts: ArchivedAreaCountsTable;
  archived_petition_details: ArchivedPetitionDetailsTable;
  deferred_indexes: DeferredIndexesTable;
  official_response_revisions: OfficialResponseRevisionsTable;
  petition_creators: PetitionCreatorsTable;
  petition_creations: PetitionCreationsTable;
  notification_outbox: NotificationOutboxTable;
  notification_fanouts: NotificationFanoutsTable;
  notification_deliveries: NotificationDeliveriesTable;
  profile_settings: ProfileSettingsTable;
  agreements: AgreementsTable;
  agreement_contacts: AgreementContactsTable;
  dev_mailbox: DevMailboxTable;
  staff_accounts: StaffAccountsTable;
  staff_oidc_identities: StaffOidcIdentitiesTable;
  staff_sessions: StaffSessionsTable;
  audit_log: AuditLogTable;
  reject_reasons: RejectReasonsTable;
  moderation_checkouts: ModerationCheckoutsTable;
  moderation_decisions: ModerationDecisionsTable;
  petition_redactions: PetitionRedactionsTable;
  personal_data_flags: PersonalDataFlagsTable;
  moderation_settings: ModerationSettingsTable;
  petition_logs: PetitionLogsTable;
  log_entries: LogEntriesTable;
  log_tiles: LogTilesTable;
  heads_entries: HeadsEntriesTable;
  heads_log: HeadsLogTable;
  fraud_list_entries: FraudListEntriesTable;
  invalidations: InvalidationsTable;
  invalidation_targets: InvalidationTargetsTable;
  log_signer: LogSignerTable;
  petition_track_events: PetitionTrackEventsTable;
  debate_outcomes: DebateOutcomesTable;
  postcodes: PostcodesTable;
  constituencies: ConstituenciesTable;
}

export type PetitionRow = Selectable<PetitionsTable>;
export type NewPetition = Insertable<PetitionsTable>;
/** A new petition as the write modules take it: they derive the search columns (`searchColumns`) themselves. */
export type NewPetitionText = Omit<
  NewPetition,
  'search_title' | 'search_document' | 'search_title_grams' | 'search_grams'
>;
export type OfficialResponseRow = Selectable<OfficialResponsesTable>;
export type StaffAccountRow = Selectable<StaffAccountsTable>;
