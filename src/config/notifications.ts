import { z } from 'zod';
import { parseEnvironment } from './env.js';

/** How the notification worker runs, from the environment (every variable has a default). */
export interface NotificationConfig {
  /** Whether `serve` runs a worker in-process (`NOTIFY_WORKER`, default 'on'; 'off' when `cheongwon worker` runs apart). */
  inServe: boolean;
  /** Mails per second per worker (`NOTIFY_RATE`, default 20). */
  ratePerSecond: number;
  /** Claim lease (ms, `NOTIFY_LEASE_MS`, default 60,000): a dead worker's claimed mails are retried after it. */
  leaseMs: number;
  /** Signers expanded per fan-out page (`NOTIFY_PAGE_SIZE`, default 500). */
  pageSize: number;
  /** Deliveries claimed at once (`NOTIFY_BATCH`, default 20). */
  batchSize: number;
  /** Idle poll interval (ms, `NOTIFY_POLL_MS`, default 1,000). */
  pollMs: number;
  /** First retry delay (ms, `NOTIFY_BACKOFF_MS`, default 30,000), doubled per attempt. */
  backoffBaseMs: number;
  /** Attempts before a mail is failed for good (`NOTIFY_MAX_ATTEMPTS`, default 8). */
  maxAttempts: number;
}

const schema = z.object({
  NOTIFY_WORKER: z.enum(['on', 'off']).default('on'),
  NOTIFY_RATE: z.coerce.number().positive().max(10_000).default(20),
  NOTIFY_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  NOTIFY_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  NOTIFY_BATCH: z.coerce.number().int().min(1).max(1000).default(20),
  NOTIFY_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
});

/**
 * Parses the worker's settings.
 * @throws Error listing every invalid variable, so a misconfigured deployment fails at start
 */
export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  const e = parseEnvironment(schema, env);
  return {
    inServe: e.NOTIFY_WORKER === 'on',
    ratePerSecond: e.NOTIFY_RATE,
    leaseMs: e.NOTIFY_LEASE_MS,
    pageSize: e.NOTIFY_PAGE_SIZE,
    batchSize: e.NOTIFY_BATCH,
    pollMs: e.NOTIFY_POLL_MS,
    backoffBaseMs: e.NOTIFY_BACKOFF_MS,
    maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
  };
}
