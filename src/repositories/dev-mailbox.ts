/** The development mailbox (deployments without SMTP): mail kept as rows of `dev_mailbox`, shown at /dev/mailbox. */
import type { Selectable } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Executor } from './petitions.js';

/** A mail in the development mailbox. */
export type DevMail = Selectable<Database['dev_mailbox']>;

/** The latest `limit` mails of the development mailbox, newest first. */
export async function latestDevMail(db: Executor, limit = 50): Promise<DevMail[]> {
  return await db.selectFrom('dev_mailbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
