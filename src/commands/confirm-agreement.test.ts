import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPetition } from '../../test/support/factories.js';
import {
  type SigningCommandsHarness,
  signingCommands,
  storedCount,
  tokenIn,
} from '../../test/support/signing-commands.js';
import { agreeByEmail } from './agree-by-email.js';
import { confirmAgreement } from './confirm-agreement.js';

let h: SigningCommandsHarness;
beforeEach(async () => {
  h = await signingCommands();
});
afterEach(async () => {
  await h.close();
});
const person = { name: '김민지', email: 'Minji.Kim@example.kr' };

describe('confirmAgreement', () => {
  it('counts the agreement once its emailed link is confirmed; refuses a malformed token without a lookup', async () => {
    const id = await openPetition(h.db.db);
    await agreeByEmail(h.deps, { petitionId: id, ...person });
    await expect(confirmAgreement(h.deps, 'not-a-token')).rejects.toMatchObject({ code: 'invalid_token' });
    expect((await confirmAgreement(h.deps, tokenIn(h.sent[0]))).status).toBe('confirmed');
    expect((await confirmAgreement(h.deps, tokenIn(h.sent[0]))).status).toBe('already_confirmed');
    expect(await storedCount(h.db.db, id)).toBe(1);
  });
});
