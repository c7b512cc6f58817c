import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  hiddenMarker,
  passageSpans,
  queueBucket,
  rejectReasonInput,
  replaceSpans,
  withheldReason,
} from './moderation.js';

const DAY = 86_400_000;

describe('the queue against the review target', () => {
  it('is within before target − near days, near from then, over from the target (24-hour days)', () => {
    expect(queueBucket(0, 10, 3)).toBe('within');
    expect(queueBucket(7 * DAY - 1, 10, 3)).toBe('within');
    expect(queueBucket(7 * DAY, 10, 3)).toBe('near');
    expect(queueBucket(10 * DAY - 1, 10, 3)).toBe('near');
    expect(queueBucket(10 * DAY, 10, 3)).toBe('over');
  });
});

describe('the election-period switch', () => {
  const on = { electionActive: true, electionCategories: ['politics'], electionReason: '선거 기간' };
  it('withholds only the chosen categories, and only while on', () => {
    expect(withheldReason(on, 'politics')).toBe('선거 기간');
    expect(withheldReason(on, 'welfare')).toBeNull();
    expect(withheldReason(on, null)).toBeNull();
    expect(withheldReason({ ...on, electionActive: false }, 'politics')).toBeNull();
  });
});

describe('reject reasons', () => {
  it('trims and accepts a lower-case code of up to 40 characters', () => {
    expect(rejectReasonInput({ code: ' spam ', label: ' 도배 ', publicText: ' 반복 ' })).toEqual({
      code: 'spam',
      label: '도배',
      publicText: '반복',
    });
  });
  it('refuses bad codes and empty or overlong texts', () => {
    for (const bad of [
      { code: '1spam', label: 'x', publicText: 'y' },
      { code: 'a'.repeat(41), label: 'x', publicText: 'y' },
      { code: 'spam', label: '', publicText: 'y' },
      { code: 'spam', label: 'x'.repeat(101), publicText: 'y' },
      { code: 'spam', label: 'x', publicText: 'y'.repeat(1001) },
    ]) {
      expect(() => rejectReasonInput(bad)).toThrow(DomainError);
    }
  });
});

describe('partial hiding', () => {
  const marker = hiddenMarker('개인정보');
  it('marks hidden passages visibly', () => {
    expect(marker).toBe('[일부 숨김: 개인정보]');
  });
  it('finds every occurrence of an exact passage, and refuses one not in the text', () => {
    const spans = passageSpans(
      { title: '제목', body: '김철수 씨와 김철수 님' },
      [{ field: 'body', text: '김철수' }],
      marker,
    );
    expect(spans.body.map((s) => [s.start, s.end])).toEqual([
      [0, 3],
      [7, 10],
    ]);
    expect(spans.title).toEqual([]);
    expect(() => passageSpans({ title: '', body: 'abc' }, [{ field: 'body', text: 'x' }], marker)).toThrow(
      DomainError,
    );
  });
  it('merges overlapping spans (the first one’s replacement) and refuses spans outside the text', () => {
    const out = replaceSpans('0123456789', [
      { start: 2, end: 5, replacement: 'A' },
      { start: 4, end: 7, replacement: 'B' },
      { start: 8, end: 9, replacement: 'C' },
    ]);
    expect(out.text).toBe('01A7C9');
    expect(out.spans.map((s) => [s.start, s.end])).toEqual([
      [2, 7],
      [8, 9],
    ]);
    expect(() => replaceSpans('abc', [{ start: 2, end: 4, replacement: 'x' }])).toThrow(DomainError);
  });
});
