import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publishResponse } from '../src/commands/publish-response.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { childProcessDatabase, TEST_ENGINE } from './support/databases.js';
import { openPetition } from './support/factories.js';
import { agreeAndConfirm, kindOf, people, tally, writerWithNotifications } from './support/notifications.js';
import { startTestSmtpServer, type TestSmtpServer } from './support/smtp-server.js';

const root = path.resolve(import.meta.dirname, '..');
const main = path.join(root, 'src/cli/main.ts');
const SECRET = 'notify-crash-secret-notify-crash-secret-0123';

/** `cheongwon worker` as its own process: node itself with tsx as a loader, so SIGKILL hits the worker. */
function startWorker(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  exited: Promise<unknown>;
  output: () => string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'worker'], { env, cwd: root });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => output };
}

async function until(condition: () => boolean, what: string, output: () => string): Promise<void> {
  // waits for a condition, not a time: the bound is only there to end a run that went wrong
  for (let i = 0; i < 1200 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!condition()) throw new Error(`gave up waiting for ${what}; worker output:\n${output()}`);
}

/**
 * Threshold crossing → awaiting response → answer; then the worker is killed with SIGKILL in the middle of sending
 * and started again. At the real SMTP server every opted-in signer (and the creator) has received exactly one
 * message of each kind: one distinct Message-ID per recipient × kind.
 */
describe(`notification worker killed mid-batch (${TEST_ENGINE})`, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-notify-crash-'));
  let database: Awaited<ReturnType<typeof childProcessDatabase>> | null = null;
  let smtp: TestSmtpServer | null = null;
  afterAll(async () => {
    await smtp?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers exactly one message of each kind to each person despite a SIGKILL', async () => {
    smtp = await startTestSmtpServer();
    database = await childProcessDatabase(dir, {
      CHEONGWON_SECRET: SECRET,
      PUBLIC_URL: 'https://cheongwon.test',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Cheongwon <no-reply@cheongwon.test>',
      NOTIFY_RATE: '150',
      NOTIFY_LEASE_MS: '1500',
      NOTIFY_BATCH: '10',
      NOTIFY_PAGE_SIZE: '25',
      NOTIFY_POLL_MS: '50',
    });
    const { env, open } = database;

    // Kim's petition crosses its threshold and is answered while still open
    const clock = new Date();
    let h = await open();
    await migrateToLatest(h.db);
    const id = await openPetition(h.db, {
      title: '강제 종료 청원',
      responseThreshold: 150,
      openedAt: new Date(clock.getTime() - 86_400_000),
      closesAt: new Date(clock.getTime() + 7 * 86_400_000),
    });
    await h.db
      .insertInto('petition_creators')
      .values({ petition_id: id, email: 'creator@example.org', name: '김민지', locale: 'ko' })
      .execute();
    const writer = writerWithNotifications(h.db, () => clock);
    const signers = people('k', 180); // 120 opted in
    await agreeAndConfirm(writer, id, signers, clock);
    await writer.close();
    expect(
      (
        await h.db
          .selectFrom('petitions')
          .select('response_state')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).response_state,
    ).toBe('awaiting');
    await publishResponse(
      h.db,
      {
        petitionIds: [id],
        content: { body: '답변드립니다.', responderName: '강정수', responderTitle: '디지털소통센터장' },
      },
      { label: 'test' },
      clock,
    );
    await h.close();

    const optedIn = signers.filter((s) => s.notify).map((s) => s.email);
    const expected = optedIn.length * 2 + 2; // two kinds per signer, two creator mails
    const distinct = () => {
      let n = 0;
      for (const [, kinds] of tally(smtp?.messages ?? [])) for (const [, v] of kinds) n += v.ids.size;
      return n;
    };

    // first worker: killed with SIGKILL once a good part has gone out
    const first = startWorker(env);
    await until(() => (smtp?.messages.length ?? 0) >= expected / 3, 'a third of the mail', first.output);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = smtp.messages.length;
    expect(atKill).toBeLessThan(expected);

    // second worker: picks up what was claimed (after the lease) and what was never claimed
    const second = startWorker(env);
    await until(() => distinct() >= expected, 'every mail', second.output);
    second.child.kill('SIGTERM');
    await second.exited;

    const t = tally(smtp.messages);
    let rawResends = 0;
    for (const email of [...optedIn, 'creator@example.org']) {
      const kinds = t.get(email);
      const names =
        email === 'creator@example.org'
          ? ['creator.threshold_reached', 'creator.answered']
          : ['signers.threshold_reached', 'signers.answered'];
      expect([...(kinds?.keys() ?? [])].sort(), email).toEqual([...names].sort());
      for (const name of names) {
        const entry = kinds?.get(name);
        expect(entry?.ids.size, `${email} ${name}`).toBe(1); // exactly one message of each kind
        rawResends += (entry?.raw ?? 0) - 1;
      }
    }
    for (const s of signers.filter((s) => !s.notify)) expect(t.has(s.email)).toBe(false);
    expect(smtp.messages.every((m) => kindOf(m) !== '')).toBe(true);
    // the crash window is one message per worker: a raw re-send (same Message-ID) is possible only for it
    expect(rawResends).toBeLessThanOrEqual(1);
    console.log(
      `notification crash test (${TEST_ENGINE}): ${expected} mails, ${atKill} received before SIGKILL, raw re-sends: ${rawResends}`,
    );

    h = await open();
    try {
      const states = await h.db
        .selectFrom('notification_deliveries')
        .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy('state')
        .execute();
      expect(Object.fromEntries(states.map((s) => [s.state, Number(s.n)]))).toEqual({ sent: expected });
      const outbox = await h.db.selectFrom('notification_outbox').select('state').execute();
      expect(outbox.every((o) => o.state === 'done')).toBe(true);
    } finally {
      await h.close();
    }
  });
});
