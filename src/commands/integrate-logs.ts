import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type IntegrationPass, integratePetitionLogs } from '../transparency/integrator.js';
import type { LogSigners } from '../transparency/log-signers.js';

/**
 * Signs what the petition logs have grown by since their last checkpoint: tiles, entry bundles and one signed
 * checkpoint per changed petition, each stored by compare-and-swap over the checkpoint it extends
 * (src/transparency/integrator.ts). The caller holds the log's advisory lock (one integrator at a time).
 * @param now the clock (UTC)
 */
export async function integrateLogs(
  db: Kysely<Database>,
  signers: LogSigners,
  now: Date,
): Promise<IntegrationPass> {
  return await integratePetitionLogs(db, signers, now);
}
