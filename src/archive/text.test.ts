import { describe, expect, it } from 'vitest';
import {
  addDays,
  cleanBody,
  cleanScrapedText,
  cleanTitle,
  decodeEntities,
  isCalendarDate,
  parseCount,
  parseKoreanCount,
} from './text.js';

describe('parseKoreanCount', () => {
  it.each([
    ['296330', 296330],
    ['296,330', 296330],
    ['296,330명', 296330],
    ['296,330 명', 296330],
    ['참여인원 : [ 296,330명 ]', 296330],
    ['참여인원: [296,330명]', 296330],
    ['  참여인원 : [ 4명 ]  ', 4],
    ['[ 1,234 ]', 1234],
    ['1,234', 1234],
    ['0', 0],
    ['２９６，３３０명', 296330],
    ['１２３', 123],
    ['441439.0', 441439],
    ['1,234,567명', 1234567],
  ])('%s → %d', (raw, n) => {
    expect(parseKoreanCount(raw)).toBe(n);
  });

  it.each([
    '',
    '   ',
    'abc',
    '-5',
    '12.5',
    '1,23',
    '1,2345',
    ',123',
    '29만',
    '참여인원 : [ ]',
    '명',
    '1 234',
    '99999999999999999999',
    '0x10',
    '1e3',
  ])('rejects %j', (raw) => {
    expect(parseKoreanCount(raw)).toBeNull();
  });

  it('parseCount takes JSON integers and rejects negative / fractional numbers', () => {
    expect(parseCount(2715626)).toBe(2715626);
    expect(parseCount(0)).toBe(0);
    expect(parseCount(-1)).toBeNull();
    expect(parseCount(1.5)).toBeNull();
    expect(parseCount(Number.NaN)).toBeNull();
    expect(parseCount(null)).toBeNull();
    expect(parseCount('1,000')).toBe(1000);
  });
});

describe('dates', () => {
  it('accepts only real calendar dates', () => {
    expect(isCalendarDate('2020-02-29')).toBe(true);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('2019-02-29')).toBe(false);
    expect(isCalendarDate('2019-02-30')).toBe(false);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2020-13-45')).toBe(false);
    expect(isCalendarDate('2020-04-31')).toBe(false);
    expect(isCalendarDate('2020-4-3')).toBe(false);
    expect(isCalendarDate('2020-00-10')).toBe(false);
  });

  it('adds calendar days across months, years and leap days', () => {
    expect(addDays('2020-04-17', -30)).toBe('2020-03-18');
    expect(addDays('2021-01-20', -30)).toBe('2020-12-21');
    expect(addDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addDays('2019-02-28', 1)).toBe('2019-03-01');
    expect(addDays('2011-09-25', 30)).toBe('2011-10-25');
    expect(addDays('1999-12-31', 1)).toBe('2000-01-01');
  });
});

describe('entities and clean-up', () => {
  it('decodes HTML entities strictly and leaves URLs alone', () => {
    expect(decodeEntities('A &amp; B &quot;C&quot; &#39;D&#39; &lt;x&gt; &#xAC00;')).toBe(
      'A & B "C" \'D\' <x> 가',
    );
    expect(decodeEntities('http://x.kr/?a=1&copy=2&not=3&para=4')).toBe(
      'http://x.kr/?a=1&copy=2&not=3&para=4',
    );
    expect(decodeEntities('AT&T &amp')).toBe('AT&T &amp');
  });

  it('repairs crawled query strings like &mid;=sec (where &mid; would decode to ∣)', () => {
    expect(decodeEntities('read.nhn?mode=LSD&mid;=sec&oid;=032&aid;=1')).toBe(
      'read.nhn?mode=LSD&mid=sec&oid=032&aid=1',
    );
    expect(decodeEntities('a &mid; b')).toBe('a ∣ b');
  });

  it('cleanTitle trims, decodes and removes NUL; cleanBody also normalises line breaks', () => {
    expect(cleanTitle('  A &amp; B\u0000 ')).toBe('A & B');
    expect(cleanBody('\r\nline1\r\nline2\rline3\r\r\nline4\u0000  ')).toBe('line1\nline2\nline3\nline4');
    expect(cleanBody('   ')).toBeNull();
    expect(cleanBody(null)).toBeNull();
  });

  it('cleans scraped 청와대 HTML text: labels, indentation, paragraphs, attachments', () => {
    const raw =
      '원답변\r\n\r\n\r\n\r\n청원 A/S\r\n\r\n\r\n청원내용\r\n\r\n\r\n\r\r\n\t\t\t\t\t\t\t\t\t\t\t첫 줄입니다.  \r\r\n' +
      '\t\t\t\t\t\t\t\t\t\t\t둘째 줄 &amp; 끝. \r\n\r\r\n\t\t\t\t\t\t\t\t\t\t\t새 문단 \r\n\r\n\r\n' +
      '첨부링크 1 : http://a.kr/?x=1&mid;=2첨부링크 2 : http://b.kr \r\n\r\n';
    expect(cleanScrapedText(raw)).toBe(
      '첫 줄입니다.\n둘째 줄 & 끝.\n\n새 문단\n\n첨부링크 1 : http://a.kr/?x=1&mid=2\n첨부링크 2 : http://b.kr',
    );
    expect(cleanScrapedText('\r\n\r\n말 : 안녕하세요.\u00a0\r\n\u00a0\r\n말 : 네.\r\n\r\n\r\n')).toBe(
      '말 : 안녕하세요.\n\n말 : 네.',
    );
    expect(cleanScrapedText('원답변\r\n\r\n청원내용\r\n\t\t')).toBeNull();
  });
});
