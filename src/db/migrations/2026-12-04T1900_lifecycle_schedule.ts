import { type Kysely, sql } from 'kysely';

/**
 * The lifecycle that runs by itself (commands/close-due-petitions.ts and its siblings, driven by the scheduler):
 * - `lapsed`: a petition whose window for pre-agreements ended before it had enough (국회: 100 within 30 days);
 * - response state `overdue`: the answer deadline passed without an answer (marked by the scheduler);
 * - `collecting_since`: when a petition started collecting pre-agreements (the window runs from it);
 * - `lapsed_at`, `review_overdue_at`: when the scheduler found the window ended, the review target breached;
 * - partial indexes so each scheduler pass finds the due rows without scanning a national archive.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table petitions
      drop constraint petitions_state_check,
      add constraint petitions_state_check check (state in ('draft', 'collecting_pre_agreements', 'lapsed',
        'in_review', 'open', 'closed', 'rejected', 'hidden', 'removed')),
      drop constraint petitions_response_state_check,
      add constraint petitions_response_state_check
        check (response_state in ('none', 'awaiting', 'overdue', 'answered')),
      add column collecting_since timestamptz,
      add column lapsed_at timestamptz,
      add column review_overdue_at timestamptz`.execute(db);
  await sql`update petitions set collecting_since = created_at where state = 'collecting_pre_agreements'`.execute(
    db,
  );
  await sql`create index petitions_open_closes_at on petitions (closes_at) where state = 'open'`.execute(db);
  await sql`create index petitions_awaiting_due_at on petitions (response_due_at) where response_state = 'awaiting'`.execute(
    db,
  );
  await sql`create index petitions_collecting_since on petitions (collecting_since)
    where state = 'collecting_pre_agreements'`.execute(db);
  await sql`create index petitions_in_review_since on petitions (review_started_at)
    where state = 'in_review' and review_overdue_at is null`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index petitions_in_review_since`.execute(db);
  await sql`drop index petitions_collecting_since`.execute(db);
  await sql`drop index petitions_awaiting_due_at`.execute(db);
  await sql`drop index petitions_open_closes_at`.execute(db);
  await sql`
    alter table petitions
      drop column review_overdue_at,
      drop column lapsed_at,
      drop column collecting_since,
      drop constraint petitions_response_state_check,
      add constraint petitions_response_state_check check (response_state in ('none', 'awaiting', 'answered')),
      drop constraint petitions_state_check,
      add constraint petitions_state_check check (state in ('draft', 'collecting_pre_agreements', 'in_review',
        'open', 'closed', 'rejected', 'hidden', 'removed'))`.execute(db);
}
