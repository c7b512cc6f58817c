import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Kysely table types; the DDL is in `migrations/` (the source of truth). Timestamps are UTC instants. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface PetitionsTable {
  id: Generated<string>; // bigint comes back as a decimal string from pg; presenters convert
  profile: string;
  category: string | null;
  title: string;
  body: string | null;
  state: string;
  response_state: Generated<string>;
  agreement_count: Generated<number>;
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
  method: 'email' | 'oidc';
  region: string | null;
  locale: Generated<'ko' | 'en'>;
  notify: Generated<boolean>;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
  confirmation_token_hash: string | null;
  token_expires_at: Timestamp | null;
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

export interface Database {
  petitions: PetitionsTable;
  official_responses: OfficialResponsesTable;
  petition_official_responses: PetitionOfficialResponsesTable;
  profile_settings: ProfileSettingsTable;
  agreements: AgreementsTable;
  agreement_contacts: AgreementContactsTable;
  dev_mailbox: DevMailboxTable;
}

export type PetitionRow = Selectable<PetitionsTable>;
export type NewPetition = Insertable<PetitionsTable>;
export type OfficialResponseRow = Selectable<OfficialResponsesTable>;
