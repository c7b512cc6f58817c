import type { MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../../domain/errors.js';
import { clientKey, type RateSpec } from '../../signing/rate-limits.js';
import { clientAddress } from '../middleware/client-address.js';

/** The default API limit: 600 requests per 60 s per client address (a counter polled every 2 s uses 30). */
export const DEFAULT_API_RATE_LIMIT: RateSpec = { points: 600, seconds: 60 };

/**
 * Rate limit of the read API, per client address (IPv4 as is, IPv6 by /64 — `clientKey`), in this process's
 * memory (each app server limits its own share). Every answer carries `RateLimit-Limit` and
 * `RateLimit-Remaining`; beyond the limit the request is refused with DomainError('rate_limited', details
 * `{ retryAfterSeconds, limit, windowSeconds }`), which the app answers as 429 with `Retry-After` (whole seconds)
 * and the standard error object.
 */
export function apiRateLimit(spec: RateSpec = DEFAULT_API_RATE_LIMIT): MiddlewareHandler {
  const limiter = new RateLimiterMemory({ keyPrefix: 'api', points: spec.points, duration: spec.seconds });
  return async (c, next) => {
    let remaining: number;
    try {
      remaining = (await limiter.consume(clientKey(clientAddress(c)))).remainingPoints;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      c.header('RateLimit-Limit', String(spec.points));
      c.header('RateLimit-Remaining', '0');
      throw new DomainError(
        'rate_limited',
        `Too many requests from your address: at most ${spec.points} per ${spec.seconds} s. ` +
          `Try again in ${retryAfterSeconds} s.`,
        { retryAfterSeconds, limit: spec.points, windowSeconds: spec.seconds },
      );
    }
    // before the route answers (a header added to a finished response makes Hono copy it into a streamed one)
    c.header('RateLimit-Limit', String(spec.points));
    c.header('RateLimit-Remaining', String(remaining));
    await next();
  };
}
