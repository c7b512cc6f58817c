import type { Kysely } from 'kysely';
import type { AppConfig } from '../config/env.js';
import { loadNotificationConfig } from '../config/notifications.js';
import type { Database } from '../db/schema.js';
import type { Mailer } from '../notifications/mailer.js';
import { NotificationWorker } from '../notifications/worker.js';
import { deploymentSecret } from './signing.js';

/**
 * The deployment's notification worker, configured from the environment (NOTIFY_*), on `mailer`.
 * @param config the deployment (secret, PUBLIC_URL)
 */
export function createNotificationWorker(
  config: AppConfig,
  db: Kysely<Database>,
  mailer: Mailer,
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): NotificationWorker {
  const n = loadNotificationConfig(env);
  return new NotificationWorker({
    db,
    mailer,
    secret: deploymentSecret(config),
    publicUrl: config.publicUrl,
    ratePerSecond: n.ratePerSecond,
    leaseMs: n.leaseMs,
    pageSize: n.pageSize,
    batchSize: n.batchSize,
    pollMs: n.pollMs,
    backoffBaseMs: n.backoffBaseMs,
    maxAttempts: n.maxAttempts,
    log,
  });
}

/** Whether `serve` should run the worker in-process (NOTIFY_WORKER, default on). */
export function workerInServe(env: NodeJS.ProcessEnv = process.env): boolean {
  return loadNotificationConfig(env).inServe;
}
