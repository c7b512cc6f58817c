import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createBank } from '../commands/desk/create-bank.js';
import { recordEvidence } from '../commands/desk/record-evidence.js';
import { issueApiKey, registerPlatform } from '../commands/desk/register-platform.js';
import { setCaptureStorage } from '../commands/desk/set-capture-storage.js';
import type { AppConfig } from '../config/env.js';
import { API_SCOPES, BANK_PROVENANCES, PLATFORM_KINDS } from '../domain/desk/types.js';
import { deploymentSecret } from '../wiring/signing.js';
import { openMigratedDatabase } from './context.js';
import { cliActor } from './staff.js';

/**
 * `cheongwon desk platform|key|bank|capture|evidence`: the desk operator's set-up from the command line —
 * register a platform, issue it an API key (printed once), create a hash bank, switch captured-content storage,
 * append an evidence record from a capture file. Every change is audited with the actor 'cli:<user>'.
 */
export function registerDeskAdminCommands(
  desk: Command,
  loadConfig: () => AppConfig,
  log: (line: string) => void,
): void {
  const withDb = async <T>(
    run: (db: Awaited<ReturnType<typeof openMigratedDatabase>>['db'], config: AppConfig) => Promise<T>,
  ) => {
    const config = loadConfig();
    const handle = await openMigratedDatabase(config, () => {});
    try {
      return await run(handle.db, config);
    } finally {
      await handle.close();
    }
  };
  desk
    .command('platform')
    .description('register a platform that matches against the banks and receives notices')
    .requiredOption('--name <name>', 'the platform’s name')
    .requiredOption('--kind <kind>', PLATFORM_KINDS.join(', '))
    .option('--jurisdiction <cc>', 'ISO 3166-1 alpha-2 country')
    .option('--notice-email <email>', 'where notices go')
    .action((o: { name: string; kind: string; jurisdiction?: string; noticeEmail?: string }) =>
      withDb(async (db) => {
        const r = await registerPlatform(db, {
          name: o.name,
          kind: o.kind,
          ...(o.jurisdiction ? { jurisdiction: o.jurisdiction } : {}),
          ...(o.noticeEmail ? { noticeEmail: o.noticeEmail } : {}),
          actor: cliActor(),
          now: new Date(),
        });
        log(`platform ${r.platformId}: ${o.name}`);
      }),
    );
  desk
    .command('key')
    .description('issue an API key to a platform (printed once; only its SHA-256 is kept)')
    .requiredOption('--platform <name>', 'a registered platform')
    .option('--scopes <list>', `comma-separated: ${API_SCOPES.join(', ')}`, 'lookup,feedback,delta')
    .option('--rpm <n>', 'requests per minute', '6000')
    .action((o: { platform: string; scopes: string; rpm: string }) =>
      withDb(async (db) => {
        const r = await issueApiKey(db, {
          platform: o.platform,
          scopes: o.scopes.split(','),
          requestsPerMinute: Number(o.rpm),
          actor: cliActor(),
          now: new Date(),
        });
        log(`key ${r.keyId} (shown once): ${r.key}`);
      }),
    );
  desk
    .command('bank')
    .description('create a hash bank')
    .requiredOption('--name <name>', 'a-z 0-9 _ . -')
    .requiredOption('--provenance <p>', BANK_PROVENANCES.join(', '))
    .option('--kind <kind>', 'positive or negative (suppresses matches)', 'positive')
    .option('--review-status <s>', 'unreviewed, reviewed, rejected', 'unreviewed')
    .option('--threshold <bits>', 'PDQ match threshold', '31')
    .action(
      (o: { name: string; provenance: string; kind: string; reviewStatus: string; threshold: string }) =>
        withDb(async (db) => {
          const r = await createBank(db, {
            name: o.name,
            provenance: o.provenance,
            kind: o.kind,
            reviewStatus: o.reviewStatus,
            pdqThreshold: Number(o.threshold),
            actor: cliActor(),
            now: new Date(),
          });
          log(`bank ${r.bankId}: ${o.name}`);
        }),
    );
  desk
    .command('capture')
    .description('turn the storage of captured content on or off (off by default; audited)')
    .argument('<on|off>')
    .requiredOption('--reason <text>', 'why (kept in the audit log)')
    .action((state: string, o: { reason: string }) =>
      withDb(async (db) => {
        if (state !== 'on' && state !== 'off') throw new Error('say on or off');
        await setCaptureStorage(db, {
          on: state === 'on',
          reason: o.reason,
          actor: cliActor(),
          now: new Date(),
        });
        log(`capture storage ${state}`);
      }),
    );
  desk
    .command('evidence')
    .description(
      'append an evidence record: the SHA-256 of a capture file (its content only while storage is on)',
    )
    .requiredOption('--takedown <id>', 'the takedown it belongs to')
    .option('--url <url>', 'the captured URL (default: the takedown’s)')
    .argument('<file>')
    .action((file: string, o: { takedown: string; url?: string }) =>
      withDb(async (db, config) => {
        const r = await recordEvidence(db, {
          takedownId: o.takedown,
          ...(o.url ? { url: o.url } : {}),
          capture: readFileSync(file),
          secret: deploymentSecret(config),
          actor: cliActor(),
          now: new Date(),
        });
        log(`evidence ${r.evidenceId}: sha256 ${r.sha256}${r.stored ? ' (content stored, encrypted)' : ''}`);
      }),
    );
}
