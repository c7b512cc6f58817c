import { type Kysely, sql } from 'kysely';

/**
 * Agreements (signatures): one row per person per petition, enforced by UNIQUE (petition_id, signer_key) where the
 * signer key is a per-petition keyed hash (HMAC) of the person — never a name or an address. Contact data lives in
 * a separate table only as long as confirmation (or the signer's opt-in to notifications) needs it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types (Kysely's convention)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table agreements (
      id bigint generated always as identity primary key,
      petition_id bigint not null references petitions (id),
      signer_key text not null check (signer_key ~ '^[0-9a-f]{64}$'),
      method text not null check (method in ('email', 'oidc')),
      region text,
      locale text not null default 'ko' check (locale in ('ko', 'en')),
      notify boolean not null default false,
      created_at timestamptz not null,
      -- counted only once confirmed (the email path confirms by the emailed link; one-click is confirmed at once)
      confirmed_at timestamptz,
      confirmation_token_hash text unique check (confirmation_token_hash ~ '^[0-9a-f]{64}$'),
      token_expires_at timestamptz,
      constraint agreements_one_per_person unique (petition_id, signer_key),
      constraint agreements_email_has_token check (method <> 'email' or confirmation_token_hash is not null)
    )`.execute(db);
  await sql`create index agreements_petition_confirmed on agreements (petition_id, confirmed_at)`.execute(db);

  await sql`
    create table agreement_contacts (
      agreement_id bigint primary key references agreements (id) on delete cascade,
      email text not null,
      name text not null,
      created_at timestamptz not null
    )`.execute(db);

  // where mail goes when no SMTP server is configured (the embedded default), shown at /dev/mailbox
  await sql`
    create table dev_mailbox (
      id bigint generated always as identity primary key,
      recipient text not null,
      subject text not null,
      text text not null,
      html text not null,
      sent_at timestamptz not null
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists dev_mailbox, agreement_contacts, agreements`.execute(db);
}
