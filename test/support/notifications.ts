import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { notificationWrites } from '../../src/notifications/outbox.js';
import { AgreementWriter } from '../../src/signing/agreement-writer.js';
import { commitment, signer, writerDeps, writerParts } from './factories.js';
import type { ReceivedMail } from './smtp-server.js';

/** A signer as tests describe them. */
export interface TestSigner {
  email: string;
  name: string;
  locale: 'ko' | 'en';
  notify: boolean;
}

/** The agreement writer as the app builds it: with the notification hook in its batch transaction. */
export function writerWithNotifications(db: Kysely<Database>, now: () => Date): AgreementWriter {
  return new AgreementWriter({
    db,
    ...writerParts,
    now,
    effects: { afterCounts: notificationWrites(writerDeps) },
  });
}

/**
 * Each person agrees by email, then confirms the emailed link — through the real writer, so the counts, threshold
 * crossings and the outbox rows they cause are written as in production.
 * @returns the agreement ids, in the order of `signers`
 */
export async function agreeAndConfirm(
  writer: AgreementWriter,
  petitionId: string,
  signers: TestSigner[],
  now: Date,
): Promise<string[]> {
  const tokens = signers.map(() => randomBytes(16).toString('hex'));
  const hash = (t: string) => createHash('sha256').update(t).digest('hex');
  const agreed = await Promise.all(
    signers.map((s, i) =>
      writer.agree({
        petitionId,
        signerKey: signer(),
        method: 'email',
        region: null,
        locale: s.locale,
        notify: s.notify,
        receiptCommitment: commitment(),
        confirmation: {
          tokenHash: hash(tokens[i] as string),
          expiresAt: new Date(now.getTime() + 86_400_000),
          contact: { email: s.email, name: s.name },
        },
      }),
    ),
  );
  await Promise.all(tokens.map((t) => writer.confirm(hash(t))));
  return agreed.map((a) => a.agreementId);
}

/** `n` signers `<prefix>1@example.org`…; every third one did not opt in; every other one writes in English. */
export function people(prefix: string, n: number): TestSigner[] {
  return Array.from({ length: n }, (_, i) => ({
    email: `${prefix}${i + 1}@example.org`,
    name: `시민 ${i + 1}`,
    locale: i % 2 === 0 ? 'ko' : 'en',
    notify: i % 3 !== 2,
  }));
}

/**
 * The confirmation link of an agreement mail, as it appears in the text part:
 * `<PUBLIC_URL>/agreements/confirm?token=<43 base64url>`, followed by `&lang=en` in English mail.
 * @throws Error (quoting the text) when the mail has no such link
 */
export function confirmationLink(mail: ReceivedMail): string {
  const link = /https?:\/\/\S+\/agreements\/confirm\?token=[A-Za-z0-9_-]+(?:&lang=[a-z]{2})?/.exec(
    mail.text,
  )?.[0];
  if (!link) throw new Error(`no confirmation link in the mail:\n${mail.text}`);
  return link;
}

/** The notification kind a received mail says it is (X-Cheongwon-Notification). */
export const kindOf = (m: ReceivedMail) => String(m.headers.get('x-cheongwon-notification') ?? '');
export const messageIdOf = (m: ReceivedMail) => String(m.headers.get('message-id') ?? '');

/**
 * Received mail grouped as `recipient → kind → { raw count, distinct Message-IDs }`, for exactly-once checks.
 */
export function tally(messages: ReceivedMail[]): Map<string, Map<string, { raw: number; ids: Set<string> }>> {
  const out = new Map<string, Map<string, { raw: number; ids: Set<string> }>>();
  for (const m of messages) {
    for (const to of m.to) {
      const byKind = out.get(to) ?? new Map();
      out.set(to, byKind);
      const entry = byKind.get(kindOf(m)) ?? { raw: 0, ids: new Set<string>() };
      byKind.set(kindOf(m), entry);
      entry.raw += 1;
      entry.ids.add(messageIdOf(m));
    }
  }
  return out;
}
