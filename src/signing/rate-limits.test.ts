import { describe, expect, it } from 'vitest';
import { clientKey, parseRateSpec, SigningRateLimits } from './rate-limits.js';

describe('signing rate limits', () => {
  it('keys IPv4 by address and IPv6 by its /64', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
    expect(clientKey(undefined)).toBe('unknown');
    expect(clientKey('not an address')).toBe('unknown');
  });

  it('refuses beyond the per-address and per-petition limits with a whole-second Retry-After', async () => {
    const limits = new SigningRateLimits({
      perAddress: { points: 2, seconds: 60 },
      perPetition: { points: 3, seconds: 60 },
    });
    await limits.take('2001:db8::1', '1');
    await limits.take('2001:db8::2', '1'); // same /64
    await expect(limits.take('2001:db8::3', '1')).rejects.toMatchObject({ code: 'rate_limited' });
    await limits.take('198.51.100.1', '1');
    const refused = await limits.take('198.51.100.2', '1').catch((e) => e); // 4th on the petition
    expect(refused.code).toBe('rate_limited');
    expect(refused.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.details.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('parses "requests/seconds" and refuses anything else', () => {
    expect(parseRateSpec('30/60', 'X')).toEqual({ points: 30, seconds: 60 });
    expect(() => parseRateSpec('30 per minute', 'X')).toThrow(/X must look like/);
    expect(() => parseRateSpec('0/60', 'X')).toThrow();
  });
});
