import { describe, expect, it } from 'vitest';
import {
  assertFourEyes,
  criteriaClass,
  emailDomain,
  invalidationStatement,
  isDisposableDomain,
  listDecision,
  networkPrefix,
  parseCidr,
  parseInvalidationFilter,
  rateAlerts,
} from './fraud.js';

describe('fraud signals', () => {
  it('keeps an IPv4 /24 and an IPv6 /48, never the address', () => {
    expect(networkPrefix('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkPrefix('::ffff:10.1.2.3')).toBe('10.1.2.0/24');
    expect(networkPrefix('2001:db8:1:2:3::5')).toBe('2001:db8:1::/48');
    expect(networkPrefix('2001:db8:1:ff00::1')).toBe('2001:db8:1::/48');
    expect(networkPrefix(undefined)).toBeNull();
    expect(networkPrefix('not an address')).toBeNull();
  });

  it('reads the email domain in lower case and flags disposable domains from the maintained list', () => {
    expect(emailDomain('Kim@Example.COM ')).toBe('example.com');
    expect(emailDomain('no-at-sign')).toBeNull();
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('naver.com')).toBe(false);
  });

  it('normalises ranges and refuses what is not one', () => {
    expect(parseCidr('203.0.113.9/24')).toBe('203.0.113.0/24');
    expect(parseCidr('2001:db8:ffff::1/32')).toBe('2001:db8::/32');
    expect(parseCidr('192.0.2.1')).toBe('192.0.2.1/32');
    expect(() => parseCidr('300.0.0.0/8')).toThrow(/not an IP range/);
  });

  it('lets an allow entry win over a block entry, and matches subdomains', () => {
    const lists = [
      { kind: 'prefix', value: '203.0.0.0/16', action: 'block' },
      { kind: 'prefix', value: '203.0.113.0/24', action: 'allow' },
      { kind: 'domain', value: 'spam.example', action: 'block' },
    ] as const;
    expect(listDecision(lists, { prefix: '203.0.7.0/24', domain: null })).toBe('block');
    expect(listDecision(lists, { prefix: '203.0.113.0/24', domain: null })).toBe('allow');
    expect(listDecision(lists, { prefix: null, domain: 'mx.spam.example' })).toBe('block');
    expect(listDecision(lists, { prefix: null, domain: 'notspam.example' })).toBe('none');
    expect(listDecision(lists, { prefix: '2001:db8:1::/48', domain: null })).toBe('none');
  });

  it('refuses a filter that takes a whole petition, a finer range than stored, and bad ids', () => {
    expect(() => parseInvalidationFilter({ petitionId: '7' })).toThrow(/at least one criterion/);
    expect(() => parseInvalidationFilter({ petitionId: '7', cidr: '203.0.113.0/25' })).toThrow(
      /at most \/24/,
    );
    expect(() => parseInvalidationFilter({ petitionId: '7', cidr: '2001:db8::/56' })).toThrow(/at most \/48/);
    expect(() => parseInvalidationFilter({ petitionId: '7', agreementIds: '1 2 x' })).toThrow(
      /not an agreement/,
    );
    expect(() => parseInvalidationFilter({ petitionId: '7', from: '2026-12-02', to: '2026-12-01' })).toThrow(
      /end after/,
    );
    const f = parseInvalidationFilter({
      petitionId: '7',
      cidr: '203.0.0.0/16',
      from: '2026-12-01T00:00Z',
      agreementIds: '3, 3 4',
    });
    expect(f.agreementIds).toEqual(['3', '4']);
    expect(criteriaClass(f)).toBe('network+explicit-list+time-window');
  });

  it('the statement names how many, when, reason and criteria classes — no raw data', () => {
    const text = invalidationStatement({
      petitionId: '7',
      invalidationId: '2',
      count: 300,
      reasonCode: 2,
      criteria: 'network',
      approvedAt: new Date('2026-12-07T13:00:00Z'),
    });
    expect(text).toBe(
      'cheongwon invalidation statement v1\npetition 7\ninvalidation 2\nagreements 300\nreason automated-agreements\n' +
        'criteria network\napproved 2026-12-07T13:00:00.000Z\napproved by a second staff member\n',
    );
  });

  it('four eyes: the requester cannot approve', () => {
    expect(() => assertFourEyes({ requestedBy: '1', state: 'requested' }, '1')).toThrow(
      /second staff member/,
    );
    expect(() => assertFourEyes({ requestedBy: '1', state: 'done' }, '2')).toThrow(/no longer waiting/);
    expect(() => assertFourEyes({ requestedBy: '1', state: 'requested' }, '2')).not.toThrow();
  });

  it('raises the rate alert for keys whose busiest minute reaches the level', () => {
    const buckets = [
      { key: 'a', agreements: 500, peakPerMinute: 40 },
      { key: 'b', agreements: 300, peakPerMinute: 300 },
      { key: 'c', agreements: 90, peakPerMinute: 60 },
      { key: '(none)', agreements: 900, peakPerMinute: 900 },
    ];
    expect(rateAlerts(buckets, 60).map((b) => b.key)).toEqual(['b', 'c']);
  });
});
