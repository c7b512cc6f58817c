import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPetition } from '../../test/support/factories.js';
import {
  type SigningCommandsHarness,
  signingCommands,
  storedCount,
  tokenIn,
} from '../../test/support/signing-commands.js';
import { hashToken } from '../domain/tokens.js';
import { MailDeliveryError } from '../notifications/mailer.js';
import { agreeByEmail } from './agree-by-email.js';

let h: SigningCommandsHarness;
beforeEach(async () => {
  h = await signingCommands();
});
afterEach(async () => {
  await h.close();
});
const person = { name: '김민지', email: 'Minji.Kim@example.kr' };
const agreements = (petitionId: string) =>
  h.db.db
    .selectFrom('agreements')
    .select(['id', 'confirmed_at', 'confirmation_token_hash'])
    .where('petition_id', '=', petitionId)
    .execute();

describe('agreeByEmail', () => {
  it('stores a pending agreement and mails a link whose token is stored only hashed', async () => {
    const id = await openPetition(h.db.db, { title: '그늘막 청원' });
    const outcome = await agreeByEmail(h.deps, { petitionId: id, ...person });
    expect(outcome.status).toBe('pending');
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]?.to).toBe('Minji.Kim@example.kr');
    expect(h.sent[0]?.text).toContain('https://cheongwon.example/agreements/confirm?token=');
    const [row] = await agreements(id);
    expect(row?.confirmation_token_hash).toBe(hashToken(tokenIn(h.sent[0])));
    expect(row?.confirmed_at).toBeNull();
    expect(await storedCount(h.db.db, id)).toBe(0);
  });

  it('removes the pending agreement when the mail cannot be sent, so the person can try again', async () => {
    const id = await openPetition(h.db.db);
    h.failNext = new MailDeliveryError('connection refused', { code: 'ESOCKET' });
    await expect(agreeByEmail(h.deps, { petitionId: id, ...person })).rejects.toMatchObject({
      code: 'mail_unavailable',
      details: { retryAfterSeconds: 60 },
    });
    expect(await agreements(id)).toEqual([]);
    expect((await agreeByEmail(h.deps, { petitionId: id, ...person })).status).toBe('pending');
  });

  it('says an address is refused for good as invalid_email', async () => {
    const id = await openPetition(h.db.db);
    h.failNext = new MailDeliveryError('mailbox unavailable', { responseCode: 550, permanent: true });
    await expect(agreeByEmail(h.deps, { petitionId: id, ...person })).rejects.toMatchObject({
      code: 'invalid_email',
    });
    expect(await agreements(id)).toEqual([]);
  });

  it('sends a fresh link only after a pause, and puts the earlier one back when that mail fails', async () => {
    const id = await openPetition(h.db.db);
    await agreeByEmail(h.deps, { petitionId: id, ...person });
    const first = tokenIn(h.sent[0]);
    // a double click: the same answer, no second mail
    expect((await agreeByEmail(h.deps, { petitionId: id, ...person })).status).toBe('already_agreed');
    expect(h.sent).toHaveLength(1);
    h.clock.now = new Date(h.clock.now.getTime() + 11 * 60_000);
    h.failNext = new Error('smtp down');
    await expect(agreeByEmail(h.deps, { petitionId: id, ...person })).rejects.toMatchObject({
      code: 'mail_unavailable',
    });
    expect((await agreements(id))[0]?.confirmation_token_hash).toBe(hashToken(first)); // the first link works again
    await agreeByEmail(h.deps, { petitionId: id, ...person });
    expect(h.sent).toHaveLength(2);
    const second = tokenIn(h.sent[1]);
    expect(second).not.toBe(first);
    expect((await agreements(id))[0]?.confirmation_token_hash).toBe(hashToken(second));
  });
});
