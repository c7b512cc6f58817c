import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { draftResponse } from '../commands/draft-response.js';
import { linkPetitions } from '../commands/link-petitions.js';
import { publishDraft } from '../commands/publish-draft.js';
import { publishResponse } from '../commands/publish-response.js';
import { reviseResponse } from '../commands/revise-response.js';
import type { AppConfig } from '../config/env.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import type { ResponseActor, ResponseContent } from '../domain/official-response.js';
import { fanoutProgress, notificationTotals } from '../repositories/notifications.js';
import { openMigratedDatabase } from './context.js';

/** The command line as a response author: 'cli:<operating-system user>' unless --actor is given. */
function cliActor(label: string | undefined): ResponseActor {
  if (label) return { staffId: null, label };
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  return { staffId: null, label: `cli:${user}` };
}

/** Largest answer file read (bytes). */
const MAX_BODY_FILE = 512 * 1024;

/**
 * An answer body from a file: UTF-8 only, at most 512 KB.
 * @throws DomainError('body_too_large' | 'invalid_parameter')
 */
function readBodyFile(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new DomainError('invalid_parameter', `Cannot read the answer file ${file}.`, {
      fields: ['body-file'],
    });
  }
  if (size > MAX_BODY_FILE) {
    throw new DomainError('body_too_large', `The answer file is larger than ${MAX_BODY_FILE / 1024} KB.`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch {
    throw new DomainError('invalid_parameter', `The answer file ${file} is not valid UTF-8.`, {
      fields: ['body-file'],
    });
  }
}

const ids = (list: string) => list.split(',').map((s) => s.trim());

interface ContentOptions {
  title?: string;
  summary?: string;
  bodyFile?: string;
  responderName?: string;
  responderTitle?: string;
  video?: string;
  captions?: string;
  actor?: string;
}

function contentChanges(o: ContentOptions): Partial<ResponseContent> {
  return {
    ...(o.title !== undefined ? { title: o.title } : {}),
    ...(o.summary !== undefined ? { summary: o.summary } : {}),
    ...(o.bodyFile !== undefined ? { body: readBodyFile(o.bodyFile) } : {}),
    ...(o.responderName !== undefined ? { responderName: o.responderName } : {}),
    ...(o.responderTitle !== undefined ? { responderTitle: o.responderTitle } : {}),
    ...(o.video !== undefined ? { videoUrl: o.video } : {}),
    ...(o.captions !== undefined ? { videoCaptionUrl: o.captions } : {}),
  };
}

function contentOptions(cmd: Command): Command {
  return cmd
    .option('--title <text>', 'heading of the answer')
    .option('--summary <text>', 'one-paragraph summary')
    .option(
      '--body-file <file>',
      'the answer text (Markdown, UTF-8; html is shown as text, links http(s) only)',
    )
    .option('--responder-name <name>', "the answering official's name")
    .option('--responder-title <title>', "the answering official's title")
    .option('--video <https-url>', 'the hosted video of the answer')
    .option('--captions <https-url>', "the video's captions or transcript")
    .option('--actor <label>', 'who is recorded as author of this version (default cli:<user>)');
}

/**
 * `cheongwon response publish|publish-draft|revise|link`, `cheongwon worker` and `cheongwon notifications status`.
 */
export function registerNotificationCommands(
  program: Command,
  loadConfig: () => AppConfig,
  log: (line: string) => void,
): void {
  const withDb = async <T>(run: (db: Kysely<Database>, config: AppConfig) => Promise<T>): Promise<T> => {
    const config = loadConfig();
    const handle = await openMigratedDatabase(config, () => {});
    try {
      return await run(handle.db, config);
    } finally {
      await handle.close();
    }
  };

  const response = program
    .command('response')
    .description('official responses (답변): publish, revise, link');
  contentOptions(
    response
      .command('publish')
      .description('publish an answer covering one or several petitions (or save it as a draft with --draft)')
      .requiredOption('--petitions <ids>', 'comma-separated petition numbers, e.g. 1,2,3'),
  )
    .option('--draft', 'save as a draft (not public, nobody notified)', false)
    .action(async (o: ContentOptions & { petitions: string; draft: boolean }) => {
      if (o.bodyFile === undefined) {
        throw new DomainError('invalid_parameter', '--body-file is required.', { fields: ['body-file'] });
      }
      const content = { body: '', responderName: '', responderTitle: '', ...contentChanges(o) };
      await withDb(async (db) => {
        const input = { petitionIds: ids(o.petitions), content };
        if (o.draft) {
          const id = await draftResponse(db, input, cliActor(o.actor), new Date());
          log(`draft answer ${id} saved for petition(s) ${input.petitionIds.join(', ')}`);
          return;
        }
        const r = await publishResponse(db, input, cliActor(o.actor), new Date());
        log(
          `answer ${r.responseId} published for petition(s) ${r.petitionIds.join(', ')}; notifications queued`,
        );
      });
    });
  response
    .command('publish-draft')
    .description('publish a saved draft as it stands')
    .argument('<response>', 'answer number')
    .option('--actor <label>', 'who publishes (default cli:<user>)')
    .action(async (id: string, o: { actor?: string }) => {
      await withDb(async (db) => {
        const r = await publishDraft(db, id, cliActor(o.actor), new Date());
        log(
          `answer ${r.responseId} published for petition(s) ${r.petitionIds.join(', ')}; notifications queued`,
        );
      });
    });
  contentOptions(
    response
      .command('revise')
      .description('change an answer; a published one shows "revised on …" and keeps every earlier version')
      .argument('<response>', 'answer number'),
  ).action(async (id: string, o: ContentOptions) => {
    await withDb(async (db) => {
      const revision = await reviseResponse(db, id, contentChanges(o), cliActor(o.actor), new Date());
      log(`answer ${id}: revision ${revision} saved`);
    });
  });
  response
    .command('link')
    .description(
      'add petitions to an answer (a joint answer); a published answer notifies their signers once',
    )
    .argument('<response>', 'answer number')
    .requiredOption('--petitions <ids>', 'comma-separated petition numbers')
    .option('--actor <label>', 'who links (default cli:<user>)')
    .action(async (id: string, o: { petitions: string; actor?: string }) => {
      await withDb(async (db) => {
        await linkPetitions(db, id, ids(o.petitions), cliActor(o.actor), new Date());
        log(`answer ${id} now also covers petition(s) ${ids(o.petitions).join(', ')}`);
      });
    });

  program
    .command('notifications')
    .description('notification mail for staff')
    .command('status')
    .description('outbox and delivery totals, and the progress of each fan-out to signers')
    .option('--json', 'print JSON', false)
    .action(async (o: { json: boolean }) => {
      await withDb(async (db) => {
        const [totals, jobs] = await Promise.all([notificationTotals(db), fanoutProgress(db)]);
        if (o.json) {
          log(JSON.stringify({ ...totals, fanouts: jobs }, null, 2));
          return;
        }
        const fmt = (r: Record<string, number>) =>
          Object.entries(r)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'none';
        log(`outbox: ${fmt(totals.outbox)}`);
        log(`deliveries: ${fmt(totals.deliveries)}`);
        for (const j of jobs) {
          const pct = j.total > 0 ? Math.floor((j.sent / j.total) * 100) : 100;
          log(
            `fan-out ${j.id} ${j.kind} petition ${j.petitionId}: ${j.sent}/${j.total} sent (${pct}%), ` +
              `${j.pending} pending, ${j.failed} failed, ${j.skipped} skipped${j.expanded ? '' : `, expanding (${j.queued} queued)`}`,
          );
        }
      });
    });
}
