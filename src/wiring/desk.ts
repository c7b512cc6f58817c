import type { Kysely } from 'kysely';
import type { AppConfig } from '../config/env.js';
import type { Database } from '../db/schema.js';
import { DeskHashIndex } from '../desk/hash-index.js';
import type { DeskContext } from '../http/desk/api.js';
import { deploymentSecret } from './signing.js';

/**
 * The response desk's parts from the deployment's configuration: the in-process matching index (loaded from the
 * database on the first lookup, then kept current from the change feed), the secret, and the operator's name and
 * hotline shown to victims and in notices — `DESK_OPERATOR_NAME` (default 디지털성범죄피해자지원센터, the national
 * centre) and `DESK_HOTLINE` (default 02-735-8994, its hotline).
 */
export function deskContext(
  config: AppConfig,
  db: Kysely<Database>,
  env: Record<string, string | undefined> = process.env,
): DeskContext {
  return {
    index: new DeskHashIndex(db),
    secret: deploymentSecret(config),
    operatorName: env.DESK_OPERATOR_NAME?.trim() || '디지털성범죄피해자지원센터',
    hotline: env.DESK_HOTLINE?.trim() || '02-735-8994',
  };
}
