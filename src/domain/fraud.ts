/**
 * Fraud signals and accountable invalidation (issue 13, "Fraud signals and accountable invalidation"): the rules,
 * pure. Repositories store and count; commands apply these.
 *
 * - Signals are kept as coarse facts only: the client's network prefix (IPv4 /24, IPv6 /48 — `networkPrefix`), the
 *   email domain, the identity provider. The raw address is never stored, and none of these leave staff pages.
 * - Block / allow lists: an allow entry wins over a block entry for the same agreement (`listDecision`).
 * - An invalidation is built from a filter (`parseInvalidationFilter`), requested by one staff member and approved by
 *   another (`assertFourEyes`), and published as a statement (`invalidationStatement`) that names how many, when, the
 *   reason class and the criteria class (`criteriaClass`) — never the prefixes, domains or agreements themselves.
 */
import { isDisposableEmailDomain } from 'disposable-email-domains-js';
import ipaddr from 'ipaddr.js';
import { DomainError } from './errors.js';
import { INVALIDATION_REASONS } from './tlog/entries.js';

/** Prefix lengths kept for a client address: an IPv4 /24 and an IPv6 /48 (a typical site allocation). */
export const IPV4_PREFIX_BITS = 24;
export const IPV6_PREFIX_BITS = 48;

/**
 * The network prefix of a client address, in CIDR text: `203.0.113.0/24` for any 203.0.113.x, `2001:db8:1::/48`
 * for any address in that /48. IPv4-mapped IPv6 addresses count as IPv4.
 * @returns the prefix, or null for a missing or unparsable address (in-process requests have none)
 */
export function networkPrefix(address: string | undefined | null): string | null {
  if (!address || !ipaddr.isValid(address)) return null;
  const parsed = ipaddr.process(address);
  const bits = parsed.kind() === 'ipv4' ? IPV4_PREFIX_BITS : IPV6_PREFIX_BITS;
  const bytes = parsed.toByteArray();
  const masked = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  return `${ipaddr.fromByteArray(masked).toString()}/${bits}`;
}

/**
 * The lower-cased domain of an email address (after the last `@`), or null when there is none.
 */
export function emailDomain(email: string | undefined | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  const domain =
    at < 0
      ? ''
      : email
          .slice(at + 1)
          .trim()
          .toLowerCase();
  return domain.length > 0 && domain.length <= 255 ? domain : null;
}

/**
 * True when the domain is a known disposable-mail domain (the maintained list of the npm package
 * `disposable-email-domains-js`, CC0, from github.com/disposable-email-domains/disposable-email-domains).
 */
export function isDisposableDomain(domain: string): boolean {
  return isDisposableEmailDomain(domain);
}

/** A CIDR range given by staff, normalised (`10.1.2.0/24`); throws DomainError('invalid_filter'). */
export function parseCidr(text: string): string {
  const t = text.trim();
  try {
    const [addr, bits] = ipaddr.parseCIDR(t.includes('/') ? t : `${t}/${t.includes(':') ? 128 : 32}`);
    const cidr = `${addr.toString()}/${bits}`;
    const network =
      addr.kind() === 'ipv4'
        ? ipaddr.IPv4.networkAddressFromCIDR(cidr)
        : ipaddr.IPv6.networkAddressFromCIDR(cidr);
    return `${network.toString()}/${bits}`;
  } catch {
    throw new DomainError(
      'invalid_filter',
      `‘${t.slice(0, 60)}’ is not an IP range (for example 203.0.113.0/24).`,
    );
  }
}

/** True when the stored prefix (`networkPrefix` form) lies inside the CIDR range (both normalised). */
export function prefixInRange(prefix: string, cidr: string): boolean {
  try {
    const [pAddr, pBits] = ipaddr.parseCIDR(prefix);
    const [rAddr, rBits] = ipaddr.parseCIDR(cidr);
    return pAddr.kind() === rAddr.kind() && pBits >= rBits && pAddr.match(rAddr, rBits);
  } catch {
    return false;
  }
}

/** One live block / allow list entry. */
export interface ListEntry {
  kind: 'prefix' | 'domain';
  /** A CIDR range (kind 'prefix') or a lower-cased domain (kind 'domain'). */
  value: string;
  action: 'block' | 'allow';
}

/** Normalises a list entry's value: a CIDR range for a prefix, a lower-cased domain; throws DomainError. */
export function normaliseListValue(kind: 'prefix' | 'domain', value: string): string {
  if (kind === 'prefix') return parseCidr(value);
  const d = value.trim().toLowerCase().replace(/^@/, '');
  if (!/^[a-z0-9.-]{1,253}$/.test(d) || !d.includes('.'))
    throw new DomainError(
      'invalid_filter',
      `‘${d.slice(0, 60)}’ is not an email domain (for example example.com).`,
    );
  return d;
}

/**
 * What the lists say of an agreement with this prefix and domain: 'allow' when an allow entry matches (allow wins:
 * a university's shared /24 can be allowed while its neighbours are blocked), else 'block' when a block entry
 * matches, else 'none'. A domain entry matches the domain and its subdomains.
 */
export function listDecision(
  entries: readonly ListEntry[],
  fact: { prefix: string | null; domain: string | null },
): 'allow' | 'block' | 'none' {
  const matches = (e: ListEntry) =>
    e.kind === 'prefix'
      ? fact.prefix !== null && prefixInRange(fact.prefix, e.value)
      : fact.domain !== null && (fact.domain === e.value || fact.domain.endsWith(`.${e.value}`));
  const hit = entries.filter(matches);
  if (hit.some((e) => e.action === 'allow')) return 'allow';
  return hit.some((e) => e.action === 'block') ? 'block' : 'none';
}

/** The refusal a blocked agreement gets (HTTP 403, code `agreement_blocked`). */
export function blockedAgreementError(): DomainError {
  return new DomainError(
    'agreement_blocked',
    '이 네트워크 또는 이메일 도메인에서는 현재 동의할 수 없습니다. 다른 방법으로 동의하시거나 문의해 주십시오. ' +
      '(Agreements from this network or email domain are not accepted at the moment.)',
  );
}

/** A staff member's invalidation filter, validated. Every present criterion must match (AND). */
export interface InvalidationFilter {
  petitionId: string;
  /** Agreements created at or after `from` and before `to` (UTC). */
  from?: Date;
  to?: Date;
  /** A CIDR range the agreement's stored prefix lies in. */
  cidr?: string;
  emailDomain?: string;
  provider?: string;
  /** Explicit agreement ids (decimal). */
  agreementIds?: string[];
}

/** At most this many explicit ids in one filter. */
export const MAX_EXPLICIT_IDS = 10_000;

/**
 * Validates a filter given as JSON-like input (form fields). At least one criterion besides the petition is
 * required: a filter that would take a whole petition is refused.
 * @throws DomainError('invalid_filter') naming the bad field
 */
export function parseInvalidationFilter(raw: {
  petitionId: string;
  from?: string | Date | null;
  to?: string | Date | null;
  cidr?: string | null;
  emailDomain?: string | null;
  provider?: string | null;
  agreementIds?: readonly string[] | string | null;
}): InvalidationFilter {
  if (!/^[1-9][0-9]{0,17}$/.test(raw.petitionId))
    throw new DomainError('invalid_filter', 'Unknown petition number.');
  const f: InvalidationFilter = { petitionId: raw.petitionId };
  const time = (v: string | Date | null | undefined, name: string) => {
    if (v === undefined || v === null || v === '') return undefined;
    const d = v instanceof Date ? v : new Date(v);
    if (Number.isNaN(d.getTime())) throw new DomainError('invalid_filter', `${name} is not a date and time.`);
    return d;
  };
  const from = time(raw.from, 'The start of the window');
  const to = time(raw.to, 'The end of the window');
  if (from) f.from = from;
  if (to) f.to = to;
  if (from && to && from >= to)
    throw new DomainError('invalid_filter', 'The window must end after it starts.');
  if (raw.cidr) {
    f.cidr = parseCidr(raw.cidr);
    const bits = Number(f.cidr.split('/')[1]);
    const finest = f.cidr.includes(':') ? IPV6_PREFIX_BITS : IPV4_PREFIX_BITS;
    if (bits > finest)
      throw new DomainError(
        'invalid_filter',
        `Agreements keep only their /${finest} network, so a range can be at most /${finest} long.`,
      );
  }
  if (raw.emailDomain) f.emailDomain = normaliseListValue('domain', raw.emailDomain);
  if (raw.provider) {
    const p = raw.provider.trim();
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(p))
      throw new DomainError('invalid_filter', 'Unknown identity provider name.');
    f.provider = p;
  }
  if (raw.agreementIds) {
    const ids = (
      typeof raw.agreementIds === 'string' ? raw.agreementIds.split(/[\s,]+/) : [...raw.agreementIds]
    )
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    if (ids.some((s) => !/^[1-9][0-9]{0,17}$/.test(s)))
      throw new DomainError(
        'invalid_filter',
        'The explicit list holds something that is not an agreement number.',
      );
    if (ids.length > MAX_EXPLICIT_IDS)
      throw new DomainError('invalid_filter', `At most ${MAX_EXPLICIT_IDS} agreements in an explicit list.`);
    if (ids.length > 0) f.agreementIds = [...new Set(ids)];
  }
  if (!f.from && !f.to && !f.cidr && !f.emailDomain && !f.provider && !f.agreementIds)
    throw new DomainError('invalid_filter', 'Choose at least one criterion besides the petition.');
  return f;
}

/**
 * The public criteria class of a filter: which kinds of criteria it used, never their values
 * (`network+time-window`, `email-domain`, `explicit-list`, …), in a fixed order.
 */
export function criteriaClass(f: InvalidationFilter): string {
  const parts: string[] = [];
  if (f.cidr) parts.push('network');
  if (f.emailDomain) parts.push('email-domain');
  if (f.provider) parts.push('identity-provider');
  if (f.agreementIds) parts.push('explicit-list');
  if (f.from || f.to) parts.push('time-window');
  return parts.join('+');
}

/** The filter as stored (JSON text; staff-only). */
export function filterToJson(f: InvalidationFilter): string {
  return JSON.stringify({ ...f, from: f.from?.toISOString(), to: f.to?.toISOString() });
}

/** The stored filter read back. */
export function filterFromJson(text: string): InvalidationFilter {
  const o = JSON.parse(text) as InvalidationFilter & { from?: string; to?: string };
  return parseInvalidationFilter({ ...o, from: o.from ?? null, to: o.to ?? null });
}

/** Checks a reason code is one of the public reason classes; throws DomainError('invalid_filter'). */
export function assertReasonCode(code: number): void {
  if (!Number.isInteger(code) || INVALIDATION_REASONS[code] === undefined)
    throw new DomainError('invalid_filter', 'Choose one of the listed reasons.');
}

/**
 * Four eyes: the staff member who requested an invalidation may not approve it (nor may anyone approve one that is
 * not waiting for approval).
 * @throws DomainError('four_eyes_required') when the approver is the requester;
 *   DomainError('invalidation_not_pending') when the request is not waiting
 */
export function assertFourEyes(request: { requestedBy: string; state: string }, approverId: string): void {
  if (request.state !== 'requested')
    throw new DomainError('invalidation_not_pending', 'This invalidation is no longer waiting for approval.');
  if (request.requestedBy === approverId)
    throw new DomainError(
      'four_eyes_required',
      'A second staff member must approve: the person who asked for an invalidation cannot approve it.',
    );
}

/** Batch size of an invalidation run: agreements marked, entries written and the count moved per transaction. */
export const INVALIDATION_BATCH = 500;

/**
 * The published statement of an invalidation (its SHA-256 is the log's statement entry): how many, when, the reason
 * class and the criteria class. No prefix, domain, provider value or agreement is named.
 * @param approvedAt UTC instant of approval
 */
export function invalidationStatement(s: {
  petitionId: string;
  invalidationId: string;
  count: number;
  reasonCode: number;
  criteria: string;
  approvedAt: Date;
}): string {
  return [
    'cheongwon invalidation statement v1',
    `petition ${s.petitionId}`,
    `invalidation ${s.invalidationId}`,
    `agreements ${s.count}`,
    `reason ${INVALIDATION_REASONS[s.reasonCode] ?? `reason-${s.reasonCode}`}`,
    `criteria ${s.criteria}`,
    `approved ${s.approvedAt.toISOString()}`,
    'approved by a second staff member',
    '',
  ].join('\n');
}

/** One bucket of a signal: a key (prefix, domain, provider or hour) and its agreements. */
export interface SignalBucket {
  key: string;
  agreements: number;
  /** The busiest minute of this key (agreements in one UTC minute). */
  peakPerMinute: number;
}

/**
 * The rate alert: the buckets whose busiest minute reached `perMinute` agreements (the staff page's `alert` level,
 * default `DEFAULT_RATE_ALERT_PER_MINUTE`), busiest first. Buckets of agreements without the fact (keys in
 * parentheses: '(none)', '(unknown)', '(email)') never alert: they gather unrelated people.
 */
export function rateAlerts(buckets: readonly SignalBucket[], perMinute: number): SignalBucket[] {
  return buckets
    .filter((b) => b.peakPerMinute >= perMinute && !b.key.startsWith('('))
    .sort((a, b) => b.peakPerMinute - a.peakPerMinute);
}

/** Agreements per minute from one prefix, domain or provider that raise the alert unless configured otherwise. */
export const DEFAULT_RATE_ALERT_PER_MINUTE = 60;
