import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../domain/errors.js';

/**
 * Unsubscribe links that work without signing in: `/notifications/unsubscribe?r=<recipient>&t=<mac>`, where the
 * recipient is `a<agreement id>` (a signer's opt-in on one petition) or `c<petition id>` (that petition's creator)
 * and `t` is HMAC-SHA256(deployment secret, 'unsubscribe\n' + recipient), base64url. Nothing is stored for the link;
 * it cannot be forged without the secret and names no person (an agreement id is a row number).
 */
export type UnsubscribeTarget =
  | { kind: 'agreement'; agreementId: string }
  | { kind: 'creator'; petitionId: string };

const RECIPIENT = /^([ac])([1-9][0-9]{0,18})$/;

function recipientCode(target: UnsubscribeTarget): string {
  return target.kind === 'agreement' ? `a${target.agreementId}` : `c${target.petitionId}`;
}

function mac(secret: string, recipient: string): string {
  return createHmac('sha256', secret).update(`unsubscribe\n${recipient}`).digest('base64url');
}

/**
 * The absolute unsubscribe URL for `target` under `publicUrl` (e.g. 'https://cheongwon.example'); for an English
 * recipient it opens the English page (`&lang=en`, outside the signed part).
 */
export function unsubscribeUrl(
  publicUrl: string,
  secret: string,
  target: UnsubscribeTarget,
  locale: 'ko' | 'en' = 'ko',
): string {
  const r = recipientCode(target);
  const lang = locale === 'en' ? '&lang=en' : '';
  return `${publicUrl.replace(/\/+$/, '')}/notifications/unsubscribe?r=${r}&t=${mac(secret, r)}${lang}`;
}

/**
 * Checks an unsubscribe link's parameters.
 * @returns the target it names
 * @throws DomainError('invalid_token') when the recipient is malformed or the MAC does not verify
 */
export function verifyUnsubscribe(secret: string, r: string, t: string): UnsubscribeTarget {
  const m = RECIPIENT.exec(r);
  const expected = Buffer.from(m ? mac(secret, r) : '');
  const given = Buffer.from(t);
  if (!m || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new DomainError(
      'invalid_token',
      '수신 거부 링크가 올바르지 않습니다. 메일에 있는 링크를 그대로 여십시오.',
    );
  }
  const id = m[2] as string;
  return m[1] === 'a' ? { kind: 'agreement', agreementId: id } : { kind: 'creator', petitionId: id };
}
