import { describe, expect, it } from 'vitest';
import { formatCheckpoint } from './checkpoint.js';
import { cosignCheckpoint, generateCosignerKey } from './cosignature.js';
import { leafHash } from './merkle.js';
import { generateSignerKey, signNote } from './note.js';
import { CheckpointVerificationError, PolicyError } from './policy.js';
import {
  formatLogKeys,
  headsEntry,
  headsOrigin,
  logHost,
  logPathFor,
  parseHeadsEntry,
  parseLogKeys,
  petitionOrigin,
  petitionsKeyName,
  verifyHeadsCheckpoint,
  verifyPetitionCheckpoint,
} from './site-log.js';

const host = logHost('https://cheongwon.example/');
const heads = generateSignerKey(headsOrigin(host));
const petitions = generateSignerKey(petitionsKeyName(host));
const w = generateCosignerKey('civic.example/w');

describe('the /log/key contract', () => {
  const text = formatLogKeys({
    publicUrl: 'https://cheongwon.example/',
    headsVkey: heads.vkey,
    petitionsVkey: petitions.vkey,
    witnesses: [{ name: 'civic', vkey: w.vkey }],
  });
  const keys = parseLogKeys(text);

  it('is a tlog-policy file naming the heads log, the petitions key and the quorum', () => {
    expect(text).toContain(`log ${heads.vkey} https://cheongwon.example/log/heads\n`);
    expect(text).toContain(`log ${petitions.vkey} https://cheongwon.example/log/petitions\n`);
    expect(text).toContain('quorum witnesses\n');
    expect(keys.heads.origin).toBe('cheongwon.example/heads');
    expect(keys.petitions.origin).toBe('cheongwon.example/petitions');
    expect(logPathFor(petitionOrigin(host, 6), keys)).toBe('log/petitions/6');
    expect(logPathFor('cheongwon.example/heads', keys)).toBe('log/heads');
    expect(logPathFor('cheongwon.example/petitions/../x', keys)).toBeNull();
    expect(() => parseLogKeys(`log ${heads.vkey}\nquorum none\n`)).toThrow(PolicyError);
  });

  it('verifies petition checkpoints by the petitions key and heads checkpoints with the quorum', () => {
    const body = formatCheckpoint({
      origin: petitionOrigin(host, 6),
      size: 2,
      root: leafHash(new Uint8Array()),
    });
    expect(verifyPetitionCheckpoint(signNote(body, petitions.skey), keys, 6).checkpoint.size).toBe(2);
    expect(() => verifyPetitionCheckpoint(signNote(body, petitions.skey), keys, 7)).toThrow(
      CheckpointVerificationError,
    );
    expect(() => verifyPetitionCheckpoint(signNote(body, heads.skey), keys, 6)).toThrow(/does not verify/);
    const hb = formatCheckpoint({ origin: headsOrigin(host), size: 1, root: leafHash(headsEntry(body)) });
    const signed = signNote(hb, heads.skey);
    expect(() => verifyHeadsCheckpoint(signed, keys)).toThrow(/quorum/);
    expect(
      verifyHeadsCheckpoint(signed + cosignCheckpoint(hb, w.skey, 1_800_000_000), keys).witnesses,
    ).toHaveLength(1);
    expect(parseHeadsEntry(headsEntry(body)).origin).toBe(petitionOrigin(host, 6));
  });
});
