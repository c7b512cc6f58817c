import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import ipaddr from 'ipaddr.js';

/** Trusted proxy ranges: (address, prefix length) pairs. */
export type TrustedProxies = Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

/**
 * The proxies whose `X-Forwarded-For` the deployment trusts, parsed from TRUST_PROXY: a comma-separated list of
 * addresses or CIDR ranges (`127.0.0.1, 10.0.0.0/8, fd00::/8`). Empty: no proxy is trusted and the socket's peer
 * is the client.
 * @throws Error naming the entry that is not an address or range
 */
export function parseTrustedProxies(spec: string | undefined): TrustedProxies {
  return (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return s.includes('/')
          ? ipaddr.parseCIDR(s)
          : ([ipaddr.parse(s), s.includes(':') ? 128 : 32] as const);
      } catch {
        throw new Error(`TRUST_PROXY: ‘${s}’ is not an IP address or CIDR range`);
      }
    })
    .map(([a, bits]) => [a, bits] as [ipaddr.IPv4 | ipaddr.IPv6, number]);
}

function trusted(address: string, proxies: TrustedProxies): boolean {
  if (proxies.length === 0 || !ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 (::ffff:10.0.0.1) compares as IPv4
  return proxies.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
}

/**
 * The address of the client that sent this request, for rate limits and nothing else (never stored).
 * The socket's peer, unless that peer is a trusted proxy: then the `X-Forwarded-For` chain is read from the right
 * and the first address not itself a trusted proxy is the client (entries left of it could be forged by the client).
 * @returns the address, or undefined for in-process requests (tests) that have no socket
 */
export function resolveClientAddress(c: Context, proxies: TrustedProxies): string | undefined {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined; // in-process requests (tests) have no socket
  }
  if (peer === undefined || !trusted(peer, proxies)) return peer;
  const chain = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i] as string;
    if (!ipaddr.isValid(hop)) return peer; // a malformed chain: fall back to the proxy itself
    if (!trusted(hop, proxies)) return hop;
  }
  return chain[0] ?? peer;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The deployment's trusted proxies (set by `clientAddressFrom`). */
    trustedProxies: TrustedProxies;
  }
}

/**
 * Middleware: makes the deployment's trusted proxies known to `clientAddress`. Nothing is resolved here: only the
 * routes that rate-limit ask for the address, so pages and assets spend nothing on it.
 */
export function clientAddressFrom(proxies: TrustedProxies): MiddlewareHandler {
  return async (c, next) => {
    c.set('trustedProxies', proxies);
    await next();
  };
}

/**
 * The client's address for rate limits (see `resolveClientAddress`), trusting the proxies `clientAddressFrom`
 * set — none in an app without it. Undefined for in-process requests (tests), which have no socket.
 */
export function clientAddress(c: Context): string | undefined {
  return resolveClientAddress(c, c.var.trustedProxies ?? []);
}
