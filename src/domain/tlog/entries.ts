/**
 * PLACEHOLDER until helper/13-core lands (the other engineer's module replaces this file at merge): the agreement
 * entry's encoding as issue 13 states it, so the write path can be built and tested meanwhile.
 */
import { createHash, createHmac } from 'node:crypto';

export function receiptCommitment(secret: Uint8Array): Uint8Array {
  if (secret.length !== 16) throw new RangeError('a receipt secret is 16 bytes');
  return createHash('sha256').update(secret).digest();
}

export function agreementTag(petitionKey: Uint8Array, signerKey: string): Uint8Array {
  return createHmac('sha256', petitionKey).update(signerKey).digest();
}

export function encodeAgreementEntry(e: { tag: Uint8Array; commitment: Uint8Array }): Uint8Array {
  return Buffer.concat([Buffer.from([0x01]), e.tag, e.commitment]);
}
