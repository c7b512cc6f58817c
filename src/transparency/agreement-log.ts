import { randomBytes } from 'node:crypto';
import { agreementTag, encodeAgreementEntry } from '../domain/tlog/entries.js';
import type { Executor } from '../repositories/petitions.js';
import { ensurePetitionLogKeys } from '../repositories/writes/transparency-log.js';
import type { AgreementLog } from '../signing/agreement-batch.js';
import { openSecret, sealSecret } from '../staff/secrets.js';

/** HKDF purpose label of the key that seals petition log keys (src/staff/secrets.ts `sealSecret`). */
const PETITION_LOG_KEY_PURPOSE = 'petition log key';

/** Petitions whose tag key stays in memory before the cache is emptied (they are reloaded on use). */
const MAX_CACHED_KEYS = 10_000;

/**
 * The transparency log's part in agreement batches (the writer's `log` collaborator, src/wiring/signing.ts): makes
 * each counted agreement's entry — kind 0x01, tag = HMAC-SHA256(K_p, signer key), commitment = SHA-256(receipt
 * secret) (src/domain/tlog/entries.ts) — with the petition's random 32-byte key K_p, created on the petition's
 * first agreement and kept in `petition_logs` sealed under the deployment secret. The writer's batch statement
 * stores the entries (src/repositories/writes/agreement-batches.ts).
 *
 * Keys are cached in memory once opened; a destroyed key (the petition's signer data was anonymised) makes no
 * entry, and the batch then refuses that agreement. A petition anonymised while this process runs keeps its key in
 * this cache until `forget` or a restart — it takes no agreements by then (closed petitions refuse them).
 */
export class TransparencyAgreementLog implements AgreementLog {
  readonly recordsNothing = false;
  readonly #secret: string;
  readonly #now: () => Date;
  readonly #keys = new Map<string, Buffer | null>();

  /** @param deploymentSecret the deployment secret (src/wiring/signing.ts `deploymentSecret`) */
  constructor(deploymentSecret: string, now: () => Date = () => new Date()) {
    this.#secret = deploymentSecret;
    this.#now = now;
  }

  async entries(
    db: Executor,
    agreements: ReadonlyArray<{ petitionId: string; signerKey: string; commitment: Uint8Array }>,
  ): Promise<Array<Uint8Array | null>> {
    const opened = new Map<string, Buffer | null>();
    const missing = [...new Set(agreements.map((a) => a.petitionId))].filter((id) => !this.#keys.has(id));
    if (missing.length > 0) {
      if (this.#keys.size + missing.length > MAX_CACHED_KEYS) this.#keys.clear();
      const fresh = new Map(
        missing.map((id) => [id, sealSecret(randomBytes(32), this.#secret, PETITION_LOG_KEY_PURPOSE)]),
      );
      for (const [id, sealed] of await ensurePetitionLogKeys(db, fresh, this.#now())) {
        const key = sealed === null ? null : openSecret(sealed, this.#secret, PETITION_LOG_KEY_PURPOSE);
        opened.set(id, key);
        // a key created just now may still roll back with the caller's transaction: cached once read back
        if (sealed !== fresh.get(id)) this.#keys.set(id, key);
      }
    }
    return agreements.map((a) => {
      const key = this.#keys.get(a.petitionId) ?? opened.get(a.petitionId);
      if (!key) return null; // destroyed, or no such petition (the batch refuses the agreement either way)
      return encodeAgreementEntry({ tag: agreementTag(key, a.signerKey), commitment: a.commitment });
    });
  }

  /** Drops a petition's key from memory (after it was destroyed), so the next use reads the database again. */
  forget(petitionId: string): void {
    this.#keys.delete(petitionId);
  }
}
