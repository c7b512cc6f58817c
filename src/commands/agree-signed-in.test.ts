import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPetition } from '../../test/support/factories.js';
import {
  type SigningCommandsHarness,
  signingCommands,
  storedCount,
} from '../../test/support/signing-commands.js';
import { agreeSignedIn } from './agree-signed-in.js';
import { issueSponsorToken } from './issue-sponsor-token.js';

let h: SigningCommandsHarness;
beforeEach(async () => {
  h = await signingCommands();
});
afterEach(async () => {
  await h.close();
});

describe('agreeSignedIn with issueSponsorToken', () => {
  it('takes a pre-agreement only through the petition’s current private link', async () => {
    const id = await openPetition(h.db.db, { state: 'collecting_pre_agreements' });
    const personId = 'a'.repeat(64);
    const earlier = await issueSponsorToken(h.deps, id);
    const token = await issueSponsorToken(h.deps, id); // replaces the earlier link
    await expect(agreeSignedIn(h.deps, { petitionId: id, personId })).rejects.toMatchObject({
      code: 'petition_not_found',
    });
    await expect(
      agreeSignedIn(h.deps, { petitionId: id, personId, sponsorToken: earlier }),
    ).rejects.toMatchObject({ code: 'invalid_token' });
    expect((await agreeSignedIn(h.deps, { petitionId: id, personId, sponsorToken: token })).status).toBe(
      'agreed',
    );
    expect(await storedCount(h.db.db, id)).toBe(1);
  });
});
