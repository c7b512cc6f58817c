import { generateSignerKey, verifierKeyOf } from '../domain/tlog/note.js';
import { headsOrigin, logHost, petitionsKeyName } from '../domain/tlog/site-log.js';
import type { Executor } from '../repositories/petitions.js';
import { ensureLogSigners } from '../repositories/writes/transparency-log.js';
import { openSecret, sealSecret } from '../staff/secrets.js';

/** HKDF purpose label of the key that seals the log signing keys (src/staff/secrets.ts `sealSecret`). */
const LOG_SIGNER_PURPOSE = 'log signing key';

/** The deployment's two note signing keys (C2SP signed-note skey/vkey text; src/domain/tlog/site-log.ts). */
export interface LogSigners {
  /** `<host>/petitions`: signs every petition log's checkpoints. */
  petitions: { skey: string; vkey: string };
  /** `<host>/heads`: signs the heads log's checkpoints (which witnesses cosign). */
  heads: { skey: string; vkey: string };
  /** The PUBLIC_URL host the key names and origins are made of. */
  host: string;
}

/**
 * The deployment's log signing keys: made on first use (Ed25519, random) and kept in `log_signer` sealed under the
 * deployment secret, so every app server and worker of the deployment signs with the same keys.
 * @param publicUrl PUBLIC_URL (its host names the keys and origins)
 * @throws Error when stored keys were made for another host (PUBLIC_URL changed: the published logs would no
 *   longer verify under their names), or cannot be opened with this deployment secret
 */
export async function loadLogSigners(
  db: Executor,
  deploymentSecret: string,
  publicUrl: string,
  now: Date,
): Promise<LogSigners> {
  const host = logHost(publicUrl);
  const names = { petitions: petitionsKeyName(host), heads: headsOrigin(host) } as const;
  const fresh = (['petitions', 'heads'] as const).map((role) => {
    const k = generateSignerKey(names[role]);
    return {
      role,
      name: names[role],
      key_ciphertext: sealSecret(Buffer.from(k.skey, 'utf8'), deploymentSecret, LOG_SIGNER_PURPOSE),
      vkey: k.vkey,
    };
  });
  const stored = await ensureLogSigners(db, fresh, now);
  const open = (role: 'petitions' | 'heads') => {
    const row = stored.find((s) => s.role === role);
    if (!row) throw new Error(`the ${role} log key is missing`);
    if (row.name !== names[role]) {
      throw new Error(
        `the ${role} log key is named ${row.name}, but PUBLIC_URL makes it ${names[role]}: the logs are published ` +
          'under the name they were signed with; restore PUBLIC_URL',
      );
    }
    const skey = openSecret(row.key_ciphertext, deploymentSecret, LOG_SIGNER_PURPOSE).toString('utf8');
    if (verifierKeyOf(skey) !== row.vkey) throw new Error(`the ${role} log key does not match its vkey`);
    return { skey, vkey: row.vkey };
  };
  return { petitions: open('petitions'), heads: open('heads'), host };
}
