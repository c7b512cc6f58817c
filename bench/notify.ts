/**
 * Notification fan-out on PostgreSQL: how fast a large signer fan-out is expanded into deliveries, and how fast the
 * worker sends through a real SMTP server on loopback (smtp-server, as in the tests).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/notify.ts [signers] [sent]
 *
 * `signers` opted-in signers (default 200,000) are created with SQL; the answer's fan-out is expanded completely
 * (pages of NOTIFY_PAGE_SIZE, default 500); then `sent` mails (default 2,000) are delivered unthrottled.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { publishResponse } from '../src/commands/publish-response.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { searchColumns } from '../src/domain/search-text.js';
import { createSmtpMailer, type Mailer } from '../src/notifications/mailer.js';
import { NotificationWorker } from '../src/notifications/worker.js';
import { fanoutProgress } from '../src/repositories/notifications.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';
import { startTestSmtpServer } from '../test/support/smtp-server.js';

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const signers = Number(process.argv[2] ?? 200_000);
const toSend = Number(process.argv[3] ?? 2_000);
const pageSize = Number(process.env.NOTIFY_PAGE_SIZE ?? 500);

const scratch = await createScratchDatabase(serverUrl, 'cheongwon_bench_notify');
const h = await openDatabase({ url: scratch.url, poolSize: 4 });
const smtp = await startTestSmtpServer();
let mailer: Mailer | null = null;
try {
  await migrateToLatest(h.db);
  const now = new Date();
  const petition = await h.db
    .insertInto('petitions')
    .values({
      profile: 'cheongwadae',
      title: '벤치마크 청원',
      body: '본문',
      ...searchColumns('벤치마크 청원', '본문'),
      state: 'open',
      opened_at: new Date(now.getTime() - 86_400_000),
      closes_at: new Date(now.getTime() + 86_400_000),
      agreement_count: signers,
      response_threshold: 200_000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let t = performance.now();
  await sql`
    insert into agreements (petition_id, signer_key, method, locale, notify, created_at, confirmed_at,
                            confirmation_token_hash)
    select ${petition.id}::bigint, encode(sha256(('p' || g)::bytea), 'hex'), 'email',
           case when g % 2 = 0 then 'ko' else 'en' end, true, now(), now(),
           encode(sha256(('t' || g)::bytea), 'hex')
    from generate_series(1, ${signers}) g`.execute(h.db);
  await sql`
    insert into agreement_contacts (agreement_id, email, name, created_at)
    select id, 'p' || id || '@example.org', '시민', now() from agreements where petition_id = ${petition.id}`.execute(
    h.db,
  );
  await sql`analyze`.execute(h.db);
  console.log(
    `setup: ${signers.toLocaleString('en')} opted-in signers in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  await publishResponse(
    h.db,
    {
      petitionIds: [petition.id],
      content: { body: '답변드립니다.', responderName: '강정수', responderTitle: '디지털소통센터장' },
    },
    { label: 'bench' },
    now,
  );
  const smtpMailer = createSmtpMailer({ url: smtp.url, from: 'Cheongwon <no-reply@cheongwon.test>' });
  let smtpMs = 0;
  mailer = {
    async send(mail) {
      const t0 = performance.now();
      await smtpMailer.send(mail);
      smtpMs += performance.now() - t0;
    },
    close: () => smtpMailer.close(),
  };
  const worker = new NotificationWorker({
    db: h.db,
    mailer,
    secret: 'bench-secret-bench-secret-bench-secret-0123',
    publicUrl: 'https://cheongwon.test',
    pageSize,
    ratePerSecond: 1_000_000,
    batchSize: 50,
  });

  // expansion: each pass expands up to 10 pages, then sends one batch of 50 (reported as "sent meanwhile")
  t = performance.now();
  while (!(await fanoutProgress(h.db))[0]?.expanded) await worker.runOnce();
  const expandSeconds = (performance.now() - t) / 1000;
  const [job] = await fanoutProgress(h.db);
  console.log(
    `expansion: ${job?.queued.toLocaleString('en')} deliveries in ${expandSeconds.toFixed(1)} s = ` +
      `${Math.round((job?.queued ?? 0) / expandSeconds).toLocaleString('en')} deliveries/s (page ${pageSize}; ` +
      `${job?.sent} mails sent meanwhile)`,
  );

  t = performance.now();
  smtpMs = 0;
  const start = smtp.messages.length;
  while (smtp.messages.length - start < toSend) await worker.runOnce();
  const sendSeconds = (performance.now() - t) / 1000;
  const sent = smtp.messages.length - start;
  console.log(
    `sending: ${sent.toLocaleString('en')} mails in ${sendSeconds.toFixed(1)} s = ${Math.round(sent / sendSeconds)} mails/s ` +
      '(one worker, unthrottled, one mail at a time, each recorded before the next)',
  );
  console.log(`  of which SMTP (send until the server's 250): ${(smtpMs / sent).toFixed(1)} ms per mail`);
  console.log(
    `at that rate ${signers.toLocaleString('en')} mails take ${(signers / (sent / sendSeconds) / 60).toFixed(0)} min per worker`,
  );
} finally {
  await mailer?.close();
  await smtp.close();
  await h.close();
  await scratch.drop();
}
