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

  it('takes supporters beyond the threshold while awaiting moderation on the UK profile, not on the Blue House', async () => {
    const uk = await openPetition(h.db.db, { state: 'in_review', count: 5 });
    await h.db.db.updateTable('petitions').set({ profile: 'uk' }).where('id', '=', uk).execute();
    const ukToken = await issueSponsorToken(h.deps, uk);
    const laura = 'b'.repeat(64);
    const sixth = await agreeSignedIn(h.deps, {
      petitionId: uk,
      personId: laura,
      sponsorToken: ukToken,
      places: 'uk',
      region: 'Wales',
    });
    expect(sixth.status).toBe('agreed');
    expect(await storedCount(h.db.db, uk)).toBe(6);
    const stored = await h.db.db
      .selectFrom('agreements')
      .select('region')
      .where('petition_id', '=', uk)
      .execute();
    expect(stored.map((r) => r.region)).toEqual(['W92000004']);
    // a UK signer chooses among the UK's countries, not Korean provinces
    await expect(
      agreeSignedIn(h.deps, {
        petitionId: uk,
        personId: 'c'.repeat(64),
        sponsorToken: ukToken,
        places: 'uk',
        region: 'seoul',
      }),
    ).rejects.toMatchObject({ code: 'invalid_region' });
    // without the link nobody agrees to a petition in moderation
    await expect(agreeSignedIn(h.deps, { petitionId: uk, personId: 'd'.repeat(64) })).rejects.toMatchObject({
      code: 'petition_not_found',
    });

    const blueHouse = await openPetition(h.db.db, { state: 'in_review', count: 100 });
    const token = await issueSponsorToken(h.deps, blueHouse);
    await expect(
      agreeSignedIn(h.deps, { petitionId: blueHouse, personId: laura, sponsorToken: token }),
    ).rejects.toMatchObject({ code: 'petition_not_found' });
    expect(await storedCount(h.db.db, blueHouse)).toBe(100);
  });
});
