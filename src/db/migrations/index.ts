import type { Migration } from 'kysely';
import * as petitions from './2026-11-29T1500_petitions.js';
import * as agreements from './2026-11-29T1600_agreements.js';
import * as sponsorLinks from './2026-11-29T1700_sponsor_links.js';
import * as staffModeration from './2026-11-29T1800_staff_moderation.js';
import * as responsesNotifications from './2026-11-29T1900_responses_notifications.js';
import * as agreementUpkeep from './2026-11-29T2100_agreement_upkeep.js';
import * as petitionCreation from './2026-11-29T2200_petition_creation.js';
import * as countGuard from './2026-11-29T2300_count_guard.js';
import * as lifecycleSchedule from './2026-12-04T1900_lifecycle_schedule.js';
import * as searchColumns from './2026-12-04T2100_search_columns.js';
import * as archivedAggregates from './2026-12-04T2200_archived_aggregates.js';
import * as searchTitleHash from './2026-12-07T1200_search_title_hash.js';
import * as transparencyLog from './2026-12-07T1330_transparency_log.js';
import * as fraudInvalidation from './2026-12-07T1370_fraud_invalidation.js';
import * as responseDesk from './2026-12-07T1400_response_desk.js';
import * as profileTracks from './2026-12-07T1700_profile_tracks.js';

/**
 * Every migration, keyed by its timestamped name (applied in name order). A static list rather than a directory
 * scan, so the same migrations load under tsx, vitest and the compiled build alike. Add new files here; never change
 * one that has landed.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-29T1500_petitions': petitions,
  '2026-11-29T1600_agreements': agreements,
  '2026-11-29T1700_sponsor_links': sponsorLinks,
  '2026-11-29T1800_staff_moderation': staffModeration,
  '2026-11-29T1900_responses_notifications': responsesNotifications,
  '2026-11-29T2100_agreement_upkeep': agreementUpkeep,
  '2026-11-29T2200_petition_creation': petitionCreation,
  '2026-11-29T2300_count_guard': countGuard,
  '2026-12-04T1900_lifecycle_schedule': lifecycleSchedule,
  '2026-12-04T2100_search_columns': searchColumns,
  '2026-12-04T2200_archived_aggregates': archivedAggregates,
  '2026-12-07T1200_search_title_hash': searchTitleHash,
  '2026-12-07T1330_transparency_log': transparencyLog,
  '2026-12-07T1370_fraud_invalidation': fraudInvalidation,
  '2026-12-07T1400_response_desk': responseDesk,
  '2026-12-07T1700_profile_tracks': profileTracks,
};
