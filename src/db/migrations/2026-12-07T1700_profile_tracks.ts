import { type Kysely, sql } from 'kysely';

/**
 * Profiles as whole sites (issue 16):
 *  - reject reasons in every language (`label_en`, `public_text_en`) and the reasons that also withhold the title
 *    (`hides_title`: defamation, libel — e-petitions hides such petitions wholly); a `libel` reason is added;
 *  - `petitions.title_hidden`: the title is withheld from every public output (set by such a reason);
 *  - moderation decisions `restore` (a rejected petition back to review), `takedown` (a published petition
 *    rejected with a public reason), `edit` (a moderator's correction before publishing);
 *  - the National Assembly committee track (`committee_state`, see domain/committee-track.ts);
 *  - `petition_track_events`: the public timeline of the parliamentary tracks after a threshold (UK debate:
 *    scheduled, debated, not debated; Assembly committee: referred, under review, decided, ended with the term);
 *  - `debate_outcomes`: what the UK debate produced (date, transcript, video, research, summary), or why not;
 *  - `postcodes` / `constituencies`: the operator's import of the ONS National Statistics Postcode Lookup
 *    (columns `pcds`, `pcon`, `ctry`) and constituency names, for a UK signer's constituency;
 *    `agreements.constituency` keeps the code a signer's postcode led to (never the postcode itself).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table reject_reasons
      add column label_en text check (label_en is null or length(label_en) between 1 and 100),
      add column public_text_en text check (public_text_en is null or length(public_text_en) between 1 and 1000),
      add column hides_title boolean not null default false`.execute(db);
  await sql`
    update reject_reasons set label_en = v.label_en, public_text_en = v.text_en, hides_title = v.hides
    from (values
      ('duplicate', 'Duplicate', 'There is already a petition about this issue.', false),
      ('personal_information', 'Personal information',
        'It included personal information about another person.', false),
      ('defamation', 'Defamatory', 'It included potentially defamatory statements.', true),
      ('hate_profanity', 'Offensive', 'It included language that is offensive or hateful.', false),
      ('outside_remit', 'Outside what petitions can do',
        'It was about something the Government or Parliament is not directly responsible for, or a matter before the courts.', false),
      ('false_facts', 'False statements', 'It included statements that are not true.', false),
      ('advertising', 'Advertising', 'It was an advertisement or promoted a product or service.', false)
    ) as v (code, label_en, text_en, hides)
    where reject_reasons.code = v.code`.execute(db);
  await sql`
    insert into reject_reasons (code, label, public_text, label_en, public_text_en, hides_title, position) values
      ('libel', '명예훼손(허위사실 적시)', '허위 사실로 특정인의 명예를 훼손할 수 있는 내용이 있어 제목과 내용을 공개하지 않습니다.',
       'Libellous', 'It included statements that may be libellous; its title and text are not shown.', true, 35)
    on conflict (code) do nothing`.execute(db);

  await sql`
    alter table petitions
      add column title_hidden boolean not null default false,
      add column committee_state text not null default 'none'
        check (committee_state in ('none', 'referred', 'under_review', 'decided', 'ended_with_term'))`.execute(
    db,
  );

  await sql`alter table moderation_decisions drop constraint moderation_decisions_decision_check`.execute(db);
  await sql`
    alter table moderation_decisions add constraint moderation_decisions_decision_check
      check (decision in ('publish', 'reject', 'hide', 'unhide', 'hide_in_part', 'unhide_in_part', 'duplicate',
                          'restore', 'takedown', 'edit'))`.execute(db);

  await sql`
    create table petition_track_events (
      id bigint generated always as identity primary key,
      petition_id bigint not null references petitions (id) on delete cascade,
      track text not null check (track in ('debate', 'committee')),
      stage text not null,
      -- the local date the event is about (a debate's date, a committee's decision day), when it has one
      occurred_on date,
      -- the committee (Assembly) as staff named it
      body_name text check (body_name is null or length(body_name) between 1 and 200),
      -- public text: a summary, a reason, a decision
      note text check (note is null or length(note) <= 10000),
      staff_id bigint references staff_accounts (id),
      at timestamptz not null
    )`.execute(db);
  await sql`create index petition_track_events_petition on petition_track_events (petition_id, id)`.execute(
    db,
  );

  await sql`
    create table debate_outcomes (
      petition_id bigint primary key references petitions (id) on delete cascade,
      debated boolean not null,
      debated_on date,
      overview text check (overview is null or length(overview) <= 10000),
      transcript_url text,
      video_url text,
      research_url text,
      recorded_at timestamptz not null,
      constraint debate_outcomes_date check (not debated or debated_on is not null)
    )`.execute(db);

  await sql`
    create table constituencies (
      code text primary key check (code ~ '^[EWSN][0-9]{8}$'),
      name text not null check (length(name) between 1 and 200)
    )`.execute(db);
  await sql`
    create table postcodes (
      -- upper case, no spaces ('SW1A1AA'); the NSPL's pcds without its space
      postcode text primary key check (postcode ~ '^[A-Z0-9]{5,7}$'),
      constituency text not null,
      country text not null check (country ~ '^[EWSNLM][0-9]{8}$')
    )`.execute(db);
  await sql`alter table agreements add column constituency text`.execute(db);
  // the creator's own agreement (profiles whose rules count it): proven by the confirmed creation link, no token
  await sql`alter table agreements drop constraint agreements_method_check`.execute(db);
  await sql`alter table agreements add constraint agreements_method_check
              check (method in ('email', 'oidc', 'creator'))`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from agreements where method = 'creator'`.execute(db);
  await sql`alter table agreements drop constraint agreements_method_check`.execute(db);
  await sql`alter table agreements add constraint agreements_method_check check (method in ('email', 'oidc'))`.execute(
    db,
  );
  await sql`alter table agreements drop column constituency`.execute(db);
  await sql`drop table postcodes, constituencies, debate_outcomes, petition_track_events`.execute(db);
  await sql`alter table moderation_decisions drop constraint moderation_decisions_decision_check`.execute(db);
  await sql`
    alter table moderation_decisions add constraint moderation_decisions_decision_check
      check (decision in ('publish', 'reject', 'hide', 'unhide', 'hide_in_part', 'unhide_in_part',
                          'duplicate'))`.execute(db);
  await sql`alter table petitions drop column title_hidden, drop column committee_state`.execute(db);
  await sql`delete from reject_reasons where code = 'libel'`.execute(db);
  await sql`alter table reject_reasons drop column label_en, drop column public_text_en,
              drop column hides_title`.execute(db);
}
