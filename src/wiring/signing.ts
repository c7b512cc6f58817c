import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import type { AppConfig } from '../config/env.js';
import type { Database } from '../db/schema.js';
import type { CountRules } from '../domain/count-effects.js';
import { MIN_SIGNER_SECRET_BYTES } from '../domain/identity.js';
import type { SigningContext } from '../http/signing/routes.js';
import type { Site } from '../http/site.js';
import { type Mailer, mailerFromEnv } from '../notifications/mailer.js';
import { notificationWrites } from '../notifications/outbox.js';
import { storeDevMail } from '../repositories/writes/dev-mailbox.js';
import { type AgreementLog, AgreementWriter } from '../signing/agreement-writer.js';
import { FraudLists } from '../signing/fraud-lists.js';
import { createOidcClient } from '../signing/oidc.js';
import { parseRateSpec, SigningRateLimits } from '../signing/rate-limits.js';
import { TransparencyAgreementLog } from '../transparency/agreement-log.js';

export interface Signing {
  context: SigningContext;
  writer: AgreementWriter;
  mailer: Mailer;
  /** Drains queued agreements, then closes the mailer (graceful shutdown). */
  close(): Promise<void>;
}

/**
 * The deployment's secret: CHEONGWON_SECRET, or — in embedded mode only — one generated once and kept in
 * `<data dir>.secret` (mode 0600) so that signer keys stay stable across restarts.
 * @throws Error with PostgreSQL and no CHEONGWON_SECRET: every app server must share one secret
 */
export function deploymentSecret(config: AppConfig): string {
  if (config.secret) return config.secret;
  if (config.databaseUrl) {
    throw new Error(
      'CHEONGWON_SECRET (at least 32 characters) is required with DATABASE_URL: every app server must share it.',
    );
  }
  const file = `${config.dataDir.replace(/\/+$/, '')}.secret`;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dirname(file), { recursive: true }); // a fresh checkout has no var/ yet
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

/**
 * A PostgreSQL deployment must send real mail: without SMTP_URL its mail would go to the development mailbox.
 * Checked by everything that sends mail (`serve`'s signing path, `cheongwon worker`).
 * @throws Error with DATABASE_URL, no SMTP_URL and no CHEONGWON_DEV_MAILBOX=1 (a test deployment's opt-in)
 */
export function requireRealMail(
  config: AppConfig,
  env: Record<string, string | undefined> = process.env,
): void {
  if (config.databaseUrl && !config.smtpUrl && env.CHEONGWON_DEV_MAILBOX !== '1') {
    throw new Error(
      'SMTP_URL is required with DATABASE_URL: without it, mail would go to the development mailbox ' +
        '(set CHEONGWON_DEV_MAILBOX=1 to allow that on a test deployment; it is shown to loopback clients only).',
    );
  }
}

/**
 * The deployment's mailer: SMTP when `SMTP_URL` is set, else the development mailbox (rows in `dev_mailbox`, shown
 * at /dev/mailbox). Shared by the signing path and the notification worker.
 */
export function deploymentMailer(db: Kysely<Database>, env: Record<string, string | undefined>): Mailer {
  return mailerFromEnv(env, (mail) => storeDevMail(db, mail));
}

/**
 * Builds the signing path of a deployment: writer, mailer (SMTP or dev mailbox), OIDC clients, rate limits.
 * @param options.log the writer's agreement log: the transparency log unless given (only `bench:sign`'s log-off
 *   baseline passes `NO_AGREEMENT_LOG`)
 */
export async function createSigning(
  config: AppConfig,
  site: Site,
  db: Kysely<Database>,
  env: Record<string, string | undefined> = process.env,
  options: { log?: AgreementLog } = {},
): Promise<Signing> {
  const secret = deploymentSecret(config);
  if (Buffer.byteLength(secret) < MIN_SIGNER_SECRET_BYTES)
    throw new Error('The signing secret must be at least 32 bytes.');
  requireRealMail(config, env);
  const rules: CountRules = {
    settingsFor: (profile) => site.profile(profile).settings,
    timeZoneFor: (profile) => site.profile(profile).timeZone,
  };
  const writer = new AgreementWriter({
    db,
    rules,
    now: () => site.now(),
    // threshold crossings and pre-agreement progress queue their mail in the batch's own transaction
    effects: { afterCounts: notificationWrites(rules) },
    // a signer who reloads the petition page sees their agreement counted
    counted: { countsChanged: (petitionIds) => site.pages.countsChanged(petitionIds) },
    // every counted agreement's leaf is stored by the statement that counts it (issue 13)
    log: options.log ?? new TransparencyAgreementLog(secret, () => site.now()),
  });
  const mailer = deploymentMailer(db, env);
  const providers = [];
  for (const p of config.oidcProviders) {
    const client = await createOidcClient({
      id: p.id,
      issuer: p.issuer,
      clientId: p.clientId,
      ...(p.clientSecret ? { clientSecret: p.clientSecret } : {}),
      ...(p.personClaim ? { personClaim: p.personClaim } : {}),
      ...(p.scope ? { scope: p.scope } : {}),
      ...(p.allowHttp ? { allowHttp: true } : {}),
      redirectUri: `${config.publicUrl}/auth/${p.id}/callback`,
    });
    providers.push({ id: p.id, label: p.label, client });
  }
  const context: SigningContext = {
    deps: {
      db,
      writer,
      mailer,
      secret,
      publicUrl: config.publicUrl,
      now: () => site.now(),
      lists: new FraudLists(db),
    },
    limits: new SigningRateLimits({
      perAddress: parseRateSpec(config.rateLimitAddress, 'RATE_LIMIT_ADDRESS'),
      perPetition: parseRateSpec(config.rateLimitPetition, 'RATE_LIMIT_PETITION'),
    }),
    providers,
    cookieSecret: secret,
    secureCookies: config.publicUrl.startsWith('https:'),
    devMailbox: !config.smtpUrl,
    mailer,
  };
  return {
    context,
    writer,
    mailer,
    close: async () => {
      await writer.close();
      await mailer.close();
    },
  };
}
