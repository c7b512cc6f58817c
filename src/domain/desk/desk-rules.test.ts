import { describe, expect, it } from 'vitest';
import { composeLookupAnswer, floodsBank, parseMd5 } from './banks.js';
import { caseNumberFromBytes, normaliseCaseNumber, pinFromBytes } from './cases.js';
import { parseSubmittedHash } from './hashes.js';
import { NOTICE_TEMPLATES } from './notices.js';
import { retentionEnd } from './retention.js';
import {
  assertTakedownTransition,
  compareTakedowns,
  defaultNoticeLanguage,
  extendedDeadline,
  isUnanswered,
  legalClock,
  legalDeadline,
  nextRecheck,
  parseTakedownUrl,
} from './takedowns.js';
import { NOTICE_LANGUAGES } from './types.js';

const day = 86_400_000;
const t0 = new Date('2026-12-07T09:00:00Z');

describe('takedown rules', () => {
  it('counts the legal deadline 14 days from sending, extendable once by 14 days', () => {
    const due = legalDeadline(t0);
    expect(due.toISOString()).toBe('2026-12-21T09:00:00.000Z');
    const extended = extendedDeadline({ state: 'sent', dueAt: due, extendedAt: null });
    expect(extended.getTime() - due.getTime()).toBe(14 * day);
    expect(() => extendedDeadline({ state: 'sent', dueAt: extended, extendedAt: t0 })).toThrow(/한 번만/);
    expect(() => extendedDeadline({ state: 'drafted', dueAt: null, extendedAt: null })).toThrow();
  });

  it('is unanswered exactly at the deadline, not a millisecond before', () => {
    const due = legalDeadline(t0);
    expect(isUnanswered({ state: 'sent', dueAt: due }, new Date(due.getTime() - 1))).toBe(false);
    expect(isUnanswered({ state: 'sent', dueAt: due }, due)).toBe(true);
    expect(isUnanswered({ state: 'acknowledged', dueAt: due }, due)).toBe(true);
    expect(isUnanswered({ state: 'removed', dueAt: due }, due)).toBe(false);
  });

  it('shows days left and overdue days', () => {
    const due = legalDeadline(t0);
    expect(legalClock({ state: 'sent', dueAt: due }, t0)).toMatchObject({ daysLeft: 14, overdue: false });
    expect(legalClock({ state: 'sent', dueAt: due }, new Date(due.getTime() + 1.5 * day))).toMatchObject({
      daysLeft: -2,
      overdue: true,
    });
    expect(legalClock({ state: 'drafted', dueAt: null }, t0)).toBeNull();
  });

  it('allows only the documented transitions', () => {
    expect(() => assertTakedownTransition('drafted', 'approved')).not.toThrow();
    expect(() => assertTakedownTransition('drafted', 'sent')).toThrow(/바꿀 수 없습니다/);
    expect(() => assertTakedownTransition('removed', 'escalated')).toThrow();
    expect(() => assertTakedownTransition('unanswered', 'escalated')).not.toThrow();
    expect(() => assertTakedownTransition('refused', 'escalated')).not.toThrow();
  });

  it('orders the queue overdue first, then by deadline, then drafts', () => {
    const now = new Date(t0.getTime() + 20 * day);
    const rows = [
      { id: 'draft', state: 'drafted' as const, dueAt: null, createdAt: t0 },
      { id: 'later', state: 'sent' as const, dueAt: new Date(now.getTime() + 5 * day), createdAt: t0 },
      {
        id: 'sooner',
        state: 'acknowledged' as const,
        dueAt: new Date(now.getTime() + 1 * day),
        createdAt: t0,
      },
      {
        id: 'overdue',
        state: 'unanswered' as const,
        dueAt: new Date(now.getTime() - 3 * day),
        createdAt: t0,
      },
      { id: 'due-now', state: 'sent' as const, dueAt: new Date(now.getTime() - 1 * day), createdAt: t0 },
    ];
    rows.sort((a, b) => compareTakedowns(a, b, now));
    expect(rows.map((r) => r.id)).toEqual(['overdue', 'due-now', 'sooner', 'later', 'draft']);
  });

  it('re-checks a removed URL 1, 7, 30 and 90 days after removal, then stops', () => {
    expect(nextRecheck(t0, 0)?.getTime()).toBe(t0.getTime() + day);
    expect(nextRecheck(t0, 3)?.getTime()).toBe(t0.getTime() + 90 * day);
    expect(nextRecheck(t0, 4)).toBeNull();
  });

  it('takes http(s) URLs only and names the site', () => {
    expect(parseTakedownUrl(' https://www.Example.com/a?b=1 ')).toEqual({
      url: 'https://www.example.com/a?b=1',
      site: 'example.com',
    });
    expect(() => parseTakedownUrl('javascript:alert(1)')).toThrow();
    expect(() => parseTakedownUrl('https://user:pw@example.com/')).toThrow();
    expect(() => parseTakedownUrl('not a url')).toThrow();
    expect(defaultNoticeLanguage('video.example.jp')).toBe('ja');
    expect(defaultNoticeLanguage('example.com')).toBe('en');
    expect(defaultNoticeLanguage('cafe.naver.kr')).toBe('ko');
  });
});

describe('cases, retention and notices', () => {
  it('makes case numbers and PINs from random bytes and reads them back as typed', () => {
    const number = caseNumberFromBytes(new Uint8Array(12).fill(7));
    expect(number).toBe('7777-7777-7777');
    expect(normaliseCaseNumber(' 7777 7777 7777 ')).toBe(number);
    expect(normaliseCaseNumber('k7q2-9mxd-3htb')).toBe('K7Q2-9MXD-3HTB');
    expect(normaliseCaseNumber('O000-IIII-LLLL')).toBe('0000-1111-1111');
    expect(() => normaliseCaseNumber('K7Q2-9MXD')).toThrow();
    expect(pinFromBytes(new Uint8Array([250, 251, 1, 2, 3, 4, 5, 6, 7, 8]))).toBe('12345678');
    expect(pinFromBytes(new Uint8Array([1, 2, 3]))).toBeNull();
  });

  it('keeps records 3 years', () => {
    expect(retentionEnd(t0).toISOString()).toBe('2029-12-07T09:00:00.000Z');
  });

  it('has a notice template in all seven languages, naming the URL, reference and date, never a victim', () => {
    expect(NOTICE_LANGUAGES).toEqual(['ko', 'en', 'ja', 'zh', 'ru', 'es', 'fr']);
    for (const lang of NOTICE_LANGUAGES) {
      const n = NOTICE_TEMPLATES[lang]({
        url: 'https://example.com/x',
        reference: 'T-9',
        dueOn: '2026-12-21',
        sender: 'Support Center',
      });
      expect(n.subject, lang).toContain('T-9');
      expect(n.body, lang).toContain('https://example.com/x');
      expect(n.body, lang).toContain('2026-12-21');
      expect(n.body, lang).toContain('22');
    }
  });
});

describe('hash validation and bank rules', () => {
  const pdq = 'f'.repeat(64);
  it('refuses malformed hashes with a reason code', () => {
    const reason = (raw: unknown) => {
      try {
        parseSubmittedHash(raw, 3);
        return 'accepted';
      } catch (e) {
        return (
          (e as { code: string; details: { problem: string } }).code +
          ':' +
          (e as { details: { problem: string } }).details.problem
        );
      }
    };
    expect(reason({ algorithm: 'pdq', hash: pdq, quality: 90 })).toBe('accepted');
    expect(reason({ algorithm: 'pdq', hash: pdq.slice(1), quality: 90 })).toBe('invalid_hash:wrong_length');
    expect(reason({ algorithm: 'pdq', hash: `${pdq.slice(1)}g`, quality: 90 })).toBe('invalid_hash:not_hex');
    expect(reason({ algorithm: 'pdq', hash: '0'.repeat(64), quality: 90 })).toBe('invalid_hash:all_zero');
    expect(reason({ algorithm: 'pdq', hash: pdq, quality: 49 })).toBe('invalid_hash:quality_too_low');
    expect(reason({ algorithm: 'pdq', hash: pdq })).toBe('invalid_hash:quality_missing');
    expect(reason({ algorithm: 'md5', hash: 'A'.repeat(32) })).toBe('accepted');
    expect(reason({ algorithm: 'md5', hash: '0'.repeat(32) })).toBe('invalid_hash:all_zero');
    expect(reason({ algorithm: 'sha1', hash: pdq })).toBe('invalid_hash:unknown_algorithm');
    expect(reason('x')).toBe('invalid_hash:not_an_object');
    expect(parseMd5('ABCDEF0123456789abcdef0123456789')).toBe('abcdef0123456789abcdef0123456789');
  });

  it('applies bank thresholds and lets a negative bank suppress every positive match', () => {
    const victims = { id: '1', name: 'victims', kind: 'positive' as const, pdqThreshold: 31 };
    const strict = { id: '2', name: 'strict', kind: 'positive' as const, pdqThreshold: 10 };
    const memes = { id: '3', name: 'memes', kind: 'negative' as const, pdqThreshold: 20 };
    const c = (hashId: string, bank: typeof victims | typeof strict | typeof memes, distance: number) => ({
      hashId,
      bank,
      algorithm: 'pdq' as const,
      hash: pdq,
      distance,
    });
    const answer = composeLookupAnswer([c('5', victims, 31), c('6', strict, 11), c('4', victims, 2)]);
    expect(answer.matches.map((m) => m.hashId)).toEqual(['4', '5']);
    expect(answer.suppressedBy).toEqual([]);
    const suppressed = composeLookupAnswer([c('5', victims, 3), c('7', memes, 20)]);
    expect(suppressed.matches).toEqual([]);
    expect(suppressed.suppressedBy.map((m) => m.hashId)).toEqual(['7']);
    expect(composeLookupAnswer([c('5', victims, 3), c('7', memes, 21)]).matches).toHaveLength(1);
  });

  it('quarantines a hash that matched more distinct queries than the limit in the window', () => {
    expect(floodsBank(50, 50)).toBe(false);
    expect(floodsBank(51, 50)).toBe(true);
  });
});
