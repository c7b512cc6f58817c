import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type PublishPass, publishHeads, type WitnessEndpoint } from '../transparency/integrator.js';
import type { LogSigners } from '../transparency/log-signers.js';

/**
 * Publishes the petition checkpoints signed since the last run in the heads log, signs it and gathers the
 * witnesses' cosignatures (src/transparency/integrator.ts `publishHeads`). The caller holds the log's advisory
 * lock (one publisher at a time).
 * @param witnessSizes what each witness last cosigned, kept by the caller between runs (by vkey)
 * @param now the clock (UTC)
 */
export async function publishHeadsCheckpoint(
  db: Kysely<Database>,
  signers: LogSigners,
  witnesses: readonly WitnessEndpoint[],
  witnessSizes: Map<string, number>,
  now: Date,
  post?: (url: string, body: string) => Promise<{ status: number; body: string }>,
): Promise<PublishPass> {
  return await publishHeads(db, signers, witnesses, witnessSizes, now, post);
}
