import type { Kysely } from 'kysely';
import type { SigningDeps } from '../../src/commands/agree-by-email.js';
import type { Database } from '../../src/db/schema.js';
import type { OutgoingMail } from '../../src/notifications/mailer.js';
import { AgreementWriter } from '../../src/signing/agreement-writer.js';
import { freshDatabase, type TestDatabase } from './databases.js';
import { writerParts } from './factories.js';

/**
 * The signing commands' dependencies over a fresh database, with a mailer that records what it sends and fails
 * the next send when `failNext` is set, and a clock tests move (`clock.now`).
 */
export interface SigningCommandsHarness {
  db: TestDatabase;
  deps: SigningDeps;
  sent: OutgoingMail[];
  failNext: Error | null;
  clock: { now: Date };
  close(): Promise<void>;
}

export async function signingCommands(): Promise<SigningCommandsHarness> {
  const db = await freshDatabase();
  const clock = { now: new Date('2026-11-29T06:00:00Z') };
  const writer = new AgreementWriter({ ...writerParts, db: db.db, now: () => clock.now });
  const h: SigningCommandsHarness = {
    db,
    sent: [],
    failNext: null,
    clock,
    deps: {
      db: db.db,
      writer,
      mailer: {
        send: async (mail) => {
          const error = h.failNext;
          h.failNext = null;
          if (error) throw error;
          h.sent.push(mail);
        },
        close: async () => {},
      },
      secret: 's'.repeat(32),
      publicUrl: 'https://cheongwon.example/',
      now: () => clock.now,
    },
    close: async () => {
      await writer.close();
      await db.close();
    },
  };
  return h;
}

/** The token in a confirmation mail's link ('' when there is none). */
export const tokenIn = (mail: OutgoingMail | undefined) =>
  /agreements\/confirm\?token=([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1] ?? '';

/** A petition's stored count. */
export async function storedCount(db: Kysely<Database>, petitionId: string): Promise<number> {
  const row = await db
    .selectFrom('petitions')
    .select('agreement_count')
    .where('id', '=', petitionId)
    .executeTakeFirstOrThrow();
  return row.agreement_count;
}
