import { describe, expect, it } from 'vitest';
import { buildRecord, RowRejection } from './build.js';
import { archivedPetitionColumns, isFinalCount, RECORD_DEFAULTS } from './record.js';

const said = {
  source: 'assembly',
  sourceId: 'k1',
  profile: 'assembly',
  title: ' 제목 ',
  body: null,
  category: null,
  openedOn: '2021-01-01',
  lastDay: '2021-01-30',
  agreementCount: 12,
} as const;

describe('archive record defaults (one definition)', () => {
  it('fills what a source leaves unsaid from RECORD_DEFAULTS, then finishes the record', () => {
    const r = buildRecord(said);
    expect(r).toEqual({ ...said, ...RECORD_DEFAULTS, title: '제목' });
    expect(r).toMatchObject({
      openedAt: null,
      closedAt: null,
      sourceState: 'closed',
      answered: false,
      response: null,
      sourceUrl: null,
    });
  });

  it('keeps what the source says over the defaults', () => {
    const r = buildRecord({
      ...said,
      sourceState: '브리핑',
      answered: true,
      sourceUrl: 'https://x.example/1',
    });
    expect(r).toMatchObject({ sourceState: '브리핑', answered: true, sourceUrl: 'https://x.example/1' });
  });

  it('still rejects a record that breaks an invariant', () => {
    expect(() => buildRecord({ ...said, lastDay: '2020-12-31' })).toThrow(RowRejection);
  });

  it('turns a record into a closed petition with a final archived total, answered or not', () => {
    expect(archivedPetitionColumns(buildRecord(said))).toEqual({
      state: 'closed',
      response_state: 'none',
      archived_agreement_count: 12,
      archived_count_final: true,
    });
    expect(archivedPetitionColumns({ answered: true, agreementCount: 5, sourceState: '청원진행중' })).toEqual(
      {
        state: 'closed',
        response_state: 'answered',
        archived_agreement_count: 5,
        archived_count_final: false,
      },
    );
  });

  it('counts taken before close are not final', () => {
    for (const sourceState of ['청원진행중', 'open']) expect(isFinalCount({ sourceState })).toBe(false);
    for (const sourceState of ['청원종료', '브리핑', 'closed', 'rejected'])
      expect(isFinalCount({ sourceState })).toBe(true);
  });
});
