import type { AppConfig } from '../config/env.js';
import type { DatabaseHandle } from '../db/connection.js';
import { cosignatureVerifier } from '../domain/tlog/cosignature.js';
import { formatLogKeys } from '../domain/tlog/site-log.js';
import { LogScheduler } from '../scheduling/log-scheduler.js';
import type { WitnessEndpoint } from '../transparency/integrator.js';
import { type LogSigners, loadLogSigners } from '../transparency/log-signers.js';
import { deploymentSecret } from './signing.js';

/**
 * The witnesses the publisher asks to cosign, from `LOG_WITNESSES`: entries separated by commas or newlines, each
 * `<witness vkey> <submission URL>` (the URL `add-checkpoint` is posted under).
 * @throws Error naming the entry that is not a cosignature vkey and an http(s) URL
 */
export function parseWitnesses(text: string | undefined): WitnessEndpoint[] {
  if (!text?.trim()) return [];
  return text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const [vkey, url, ...rest] = entry.split(/\s+/);
      try {
        if (!vkey || !url || rest.length > 0) throw new Error('two fields');
        cosignatureVerifier(vkey);
        if (!/^https?:\/\//.test(url)) throw new Error('an http(s) URL');
      } catch (error) {
        throw new Error(
          `LOG_WITNESSES: "${entry}" is not "<witness vkey> <URL>" (${error instanceof Error ? error.message : error})`,
        );
      }
      return { vkey, url };
    });
}

/** The transparency log's running parts in a process: its keys, `/log/key`, and the integrator/publisher loop. */
export interface TransparencyLog {
  signers: LogSigners;
  witnesses: WitnessEndpoint[];
  /** The `/log/key` document (C2SP tlog-policy). */
  keyText: string;
  scheduler: LogScheduler;
}

/**
 * Loads (or makes, on first start) the log signing keys and builds the integrator/publisher loop for `serve` and
 * `cheongwon worker` (src/scheduling/log-scheduler.ts).
 * @param env LOG_WITNESSES (see `parseWitnesses`)
 */
export async function createTransparencyLog(
  config: AppConfig,
  handle: DatabaseHandle,
  options: { log: (line: string) => void; now?: () => Date; env?: Record<string, string | undefined> },
): Promise<TransparencyLog> {
  const now = options.now ?? (() => new Date());
  const env = options.env ?? process.env;
  const signers = await loadLogSigners(handle.db, deploymentSecret(config), config.publicUrl, now());
  const witnesses = parseWitnesses(env.LOG_WITNESSES);
  const keyText = formatLogKeys({
    publicUrl: config.publicUrl,
    headsVkey: signers.heads.vkey,
    petitionsVkey: signers.petitions.vkey,
    witnesses: witnesses.map((w) => ({ name: w.vkey.split('+')[0] as string, vkey: w.vkey, url: w.url })),
  });
  const scheduler = new LogScheduler({
    db: handle.db,
    kind: handle.kind,
    signers,
    witnesses,
    now,
    log: options.log,
  });
  return { signers, witnesses, keyText, scheduler };
}
