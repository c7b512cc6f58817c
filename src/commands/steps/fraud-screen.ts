import { blockedAgreementError, emailDomain, networkPrefix } from '../../domain/fraud.js';
import type { FraudListCheck } from '../../signing/fraud-lists.js';

/**
 * The fraud signals of one agreement request and the block / allow lists' say on it (issue 13): the client's
 * network prefix (IPv4 /24, IPv6 /48 — the address itself is dropped here and never stored) and the email domain.
 * @returns the signals to store on the agreement row
 * @throws DomainError('agreement_blocked') when a block entry matches and no allow entry does
 */
export async function screenAgreement(
  lists: FraudListCheck | undefined,
  request: { clientAddress?: string | undefined; email?: string | undefined },
): Promise<{ networkPrefix: string | null; emailDomain: string | null }> {
  const fact = { prefix: networkPrefix(request.clientAddress), domain: emailDomain(request.email) };
  if (lists && (await lists.decide(fact)) === 'block') throw blockedAgreementError();
  return { networkPrefix: fact.prefix, emailDomain: fact.domain };
}
