import { describe, expect, it } from 'vitest';
import { checkCommitteeMove } from './committee-track.js';
import { debateOutcomeInput, notDebatedReason } from './debate-outcome.js';
import { displayName } from './identity.js';
import { withTitleWithheld } from './moderation.js';
import { checkPetitionText } from './petition-text.js';
import { constituencyNameRow, normalisePostcode, nsplRow, parsePlace } from './places.js';
import { PROFILES } from './policy-profiles.js';

describe('a profile is a whole site', () => {
  it('gives each profile its language, places, rules and tracks', () => {
    expect(PROFILES.uk).toMatchObject({
      locale: 'en',
      places: 'uk',
      rules: { creatorCounted: true, supportersBeyondThreshold: true, editBeforePublishing: true },
      tracks: ['debate'],
    });
    expect(PROFILES.cheongwadae).toMatchObject({ locale: 'ko', places: 'kr_sido', tracks: [] });
    expect(PROFILES.cheongwadae.rules.creatorCounted).toBe(false);
    expect(PROFILES.assembly.tracks).toEqual(['committee']);
  });

  it('parses places per taxonomy and UK postcodes', () => {
    expect(parsePlace('uk', 'Scotland')).toBe('S92000003');
    expect(parsePlace('uk', '')).toBeNull();
    expect(() => parsePlace('uk', 'seoul')).toThrow(expect.objectContaining({ code: 'invalid_region' }));
    expect(parsePlace('kr_sido', '서울')).toBe('seoul');
    expect(normalisePostcode(' sw1a 1aa ')).toBe('SW1A1AA');
    expect(normalisePostcode('EC1A1BB')).toBe('EC1A1BB');
    expect(() => normalisePostcode('12345')).toThrow(expect.objectContaining({ code: 'invalid_postcode' }));
    expect(nsplRow({ pcds: 'SW1A 1AA', pcon: 'E14001172', ctry: 'E92000001' })).toEqual({
      postcode: 'SW1A1AA',
      constituency: 'E14001172',
      country: 'E92000001',
    });
    expect(nsplRow({ pcds: 'JE2 3XP', pcon: 'L99999999', ctry: 'L93000001' })).toBeNull();
    expect(constituencyNameRow({ pcon24cd: 'W07000090', pcon24nm: 'Cardiff South and Penarth' })).toEqual({
      code: 'W07000090',
      name: 'Cardiff South and Penarth',
    });
  });

  it('refuses names and titles that are links or start like a formula', () => {
    for (const name of [
      'https://spam.example',
      'www.spam.co.uk',
      'visit bit.ly/x',
      '=1+1',
      '+447700900000',
      '@me',
    ]) {
      expect(() => displayName(name), name).toThrow(expect.objectContaining({ code: 'invalid_name' }));
    }
    expect(displayName('Mary-Jane O’Neil')).toBe('Mary-Jane O’Neil');
    expect(displayName('홍길동')).toBe('홍길동');
    const issues = (title: string) => checkPetitionText(PROFILES.uk, { title }, ['title']).issues;
    expect(issues('See http://x.io')).toEqual([{ field: 'title', problem: 'link' }]);
    expect(issues('-Reduce tax')).toEqual([{ field: 'title', problem: 'formula_prefix' }]);
    expect(issues('Reduce tax on e-books to 0%')).toEqual([]);
  });

  it('withholds a title its rejection reason hides, in every public read', () => {
    const row = { title: 'Libel', body: 'text', title_hidden: true, id: '1' };
    expect(withTitleWithheld(row)).toEqual({ title: '', body: null, title_hidden: true, id: '1' });
    expect(withTitleWithheld({ ...row, title_hidden: false })).toEqual({ ...row, title_hidden: false });
  });

  it('checks debate outcomes and committee moves', () => {
    expect(() => debateOutcomeInput({ debatedOn: '2027-02-29' })).toThrow(
      expect.objectContaining({ code: 'invalid_parameter' }),
    );
    expect(() =>
      debateOutcomeInput({ debatedOn: '2027-01-18', videoUrl: 'http://insecure.example' }),
    ).toThrow(expect.objectContaining({ details: { fields: { video_url: 'not_https' } } }));
    expect(debateOutcomeInput({ debatedOn: '2027-01-18', overview: '  ' })).toMatchObject({ overview: null });
    expect(() => notDebatedReason(' ')).toThrow(expect.objectContaining({ code: 'invalid_parameter' }));
    const referral = { stage: 'referred' as const, committee: '교육위원회', on: null, note: null };
    expect(() => checkCommitteeMove({ state: 'none', responseReached: true }, referral)).not.toThrow();
    expect(() => checkCommitteeMove({ state: 'none', responseReached: false }, referral)).toThrow(
      expect.objectContaining({ code: 'invalid_transition' }),
    );
    expect(() =>
      checkCommitteeMove(
        { state: 'decided', responseReached: true },
        { ...referral, stage: 'ended_with_term' },
      ),
    ).toThrow(expect.objectContaining({ code: 'invalid_transition' }));
  });
});
