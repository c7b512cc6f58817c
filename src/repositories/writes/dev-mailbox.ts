/** Writes of the development mailbox (see repositories/dev-mailbox.ts). */
import type { Executor } from '../petitions.js';

/** Keeps a mail in the development mailbox instead of sending it. */
export async function storeDevMail(
  db: Executor,
  mail: { to: string; subject: string; text: string; html: string; sentAt: Date },
): Promise<void> {
  await db
    .insertInto('dev_mailbox')
    .values({
      recipient: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      sent_at: mail.sentAt,
    })
    .execute();
}
