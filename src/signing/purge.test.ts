import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/support/databases.js';
import { openPetition, signer, writerParts } from '../../test/support/factories.js';
import { AgreementWriter } from './agreement-writer.js';
import { purgeExpiredAgreements } from './purge.js';

let db: TestDatabase;
beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(async () => {
  await db.close();
});

const key = (n: number) => signer(n);
const tokenHash = (n: number) => (n + 1000).toString(16).padStart(64, '0');

describe('purgeExpiredAgreements', () => {
  it('deletes unconfirmed agreements whose link expired, with their contact data, and nothing else', async () => {
    const petitionId = await openPetition(db.db);
    const t0 = new Date();
    const writer = new AgreementWriter({ ...writerParts, db: db.db, now: () => t0 });
    const hour = 3600_000;
    const agree = (n: number, expiresInMs: number) =>
      writer.agree({
        petitionId,
        signerKey: key(n),
        method: 'email',
        region: null,
        locale: 'ko',
        notify: false,
        receiptCommitment: Buffer.alloc(32, 7),
        confirmation: {
          tokenHash: tokenHash(n),
          expiresAt: new Date(t0.getTime() + expiresInMs),
          contact: { email: `p${n}@example.kr`, name: `사람${n}` },
        },
      });
    await agree(1, hour); // expired long before `now` below
    await agree(2, 30 * hour); // still valid
    await agree(3, hour);
    await writer.confirm(tokenHash(3)); // confirmed: kept, counted
    await agree(4, 24 * hour + 30 * 60_000); // expired, but within the margin: kept
    await writer.close();

    const now = new Date(t0.getTime() + 25 * hour);
    expect(await purgeExpiredAgreements(db.db, { now, chunk: 1 })).toBe(1);
    const left = await db.db.selectFrom('agreements').select('signer_key').orderBy('signer_key').execute();
    expect(left.map((r) => r.signer_key)).toEqual([key(2), key(3), key(4)].sort());
    const contacts = await db.db.selectFrom('agreement_contacts').select('email').orderBy('email').execute();
    expect(contacts.map((c) => c.email)).toEqual(['p2@example.kr', 'p4@example.kr']);
    const petition = await db.db
      .selectFrom('petitions')
      .select('agreement_count')
      .where('id', '=', petitionId)
      .executeTakeFirstOrThrow();
    expect(petition.agreement_count).toBe(1);
    expect(await purgeExpiredAgreements(db.db, { now })).toBe(0); // idempotent
  });
});
