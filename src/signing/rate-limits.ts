import ipaddr from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../domain/errors.js';

/** "points/seconds", e.g. "30/60" = 30 requests per 60 s. */
export interface RateSpec {
  points: number;
  seconds: number;
}

/**
 * Parses "N/S" (N requests per S seconds).
 * @throws Error naming the variable when malformed (a configuration error, found at start)
 */
export function parseRateSpec(raw: string, name: string): RateSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const points = Number(m?.[1]);
  const seconds = Number(m?.[2]);
  if (!m || points < 1 || seconds < 1)
    throw new Error(`${name} must look like "30/60" (requests per seconds), got "${raw}"`);
  return { points, seconds };
}

/**
 * The rate-limit key of a client address: IPv4 as is; IPv6 by its /64 (one household or phone network prefix —
 * a single user can rotate through a whole /64); IPv4-mapped IPv6 as the IPv4 address. Unparseable → 'unknown'
 * (all such clients share one bucket).
 */
export function clientKey(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return 'unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}

/**
 * Limits on the signing path: per client address (IPv4, IPv6 by /64) and per petition, in this process's memory
 * (each stateless app server limits its own share; a shared store can replace RateLimiterMemory later).
 */
export class SigningRateLimits {
  readonly #perAddress: RateLimiterMemory;
  readonly #perPetition: RateLimiterMemory;

  constructor(options: { perAddress: RateSpec; perPetition: RateSpec }) {
    this.#perAddress = new RateLimiterMemory({
      keyPrefix: 'address',
      points: options.perAddress.points,
      duration: options.perAddress.seconds,
    });
    this.#perPetition = new RateLimiterMemory({
      keyPrefix: 'petition',
      points: options.perPetition.points,
      duration: options.perPetition.seconds,
    });
  }

  /**
   * Takes one request from both buckets.
   * @throws DomainError('rate_limited') with details `{ retryAfterSeconds }` (whole seconds, ≥ 1) when either is empty
   */
  async take(address: string | undefined, petitionId: string): Promise<void> {
    try {
      await this.#perAddress.consume(clientKey(address));
      await this.#perPetition.consume(petitionId);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new DomainError(
        'rate_limited',
        `요청이 너무 많습니다. ${retryAfterSeconds}초 뒤에 다시 시도하십시오.`,
        {
          retryAfterSeconds,
        },
      );
    }
  }
}
