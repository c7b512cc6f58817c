import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../../test/support/smtp-server.js';
import {
  createMailboxMailer,
  createSmtpMailer,
  DEFAULT_MAIL_FROM,
  type MailboxMail,
  MailDeliveryError,
  type Mailer,
  mailerFromEnv,
  type OutgoingMail,
  smtpTransportOptions,
} from './mailer.js';

const FROM = 'Cheongwon <no-reply@cheongwon.invalid>';

let server: TestSmtpServer;
/** Mailers opened by a test, closed after it (before the server goes). */
const opened: Mailer[] = [];

function smtpMailer(url = server.url, from = FROM): Mailer {
  const mailer = createSmtpMailer({ url, from });
  opened.push(mailer);
  return mailer;
}

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: 'kim@example.kr',
    subject: '청원 동의 확인',
    text: '동의를 확인해 주십시오.\n',
    html: '<p>동의를 확인해 주십시오.</p>',
    ...overrides,
  };
}

/** A port on 127.0.0.1 nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  server = await startTestSmtpServer({ rejectRecipient: (address) => address.startsWith('nobody@') });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((m) => m.close()));
});

afterAll(async () => {
  await server.close();
});

describe('createSmtpMailer', () => {
  it('delivers to a real SMTP server: subject, text and HTML parts, Korean intact in UTF-8', async () => {
    const mailer = smtpMailer();
    const text =
      'n번방 사건 가해자 신상공개 청원에 동의하시려면 링크를 열어 주십시오.\n— 확인: ①②③ 한글 漢字\n';
    const html = '<p>n번방 사건 가해자 신상공개 청원 — <strong>확인</strong></p>';
    await mailer.send(
      mail({
        to: '김민지 <minji@example.kr>',
        subject: '청원 동의 확인: n번방 사건',
        text,
        html,
        headers: { 'X-Cheongwon-Test': 'delivery-1' },
      }),
    );

    const received = await server.waitFor((m) => m.headers.get('x-cheongwon-test') === 'delivery-1');
    expect(received.subject).toBe('청원 동의 확인: n번방 사건');
    expect(received.text).toBe(text);
    expect(received.html).toBe(html);
    expect(received.to).toEqual(['minji@example.kr']);
    expect(received.from).toBe(FROM);
    expect(received.user).toBeNull();
    // marked as an automatic mail (RFC 3834)
    expect(received.headers.get('auto-submitted')).toBe('auto-generated');
    const contentType = received.headers.get('content-type') as { value: string };
    expect(contentType.value).toBe('multipart/alternative');
  });

  it('resolves only once the server has the mail (send → already in messages)', async () => {
    const mailer = smtpMailer();
    await mailer.send(mail({ subject: 'immediately-there' }));
    expect(server.messages.some((m) => m.subject === 'immediately-there')).toBe(true);
  });

  it('sends 20 mails through the pool: all arrive, over at most 5 connections', async () => {
    const mailer = smtpMailer();
    await mailer.send(mail({ subject: 'pool warm-up' }));
    const before = server.connectionCount();
    const subjects = Array.from({ length: 20 }, (_, i) => `pool ${i} 풀`);
    await Promise.all(subjects.map((subject, i) => mailer.send(mail({ to: `p${i}@example.kr`, subject }))));

    const arrived = server.messages.filter((m) => m.subject.startsWith('pool ') && m.subject.endsWith('풀'));
    expect(arrived.map((m) => m.subject).sort()).toEqual([...subjects].sort());
    expect(new Set(arrived.flatMap((m) => m.to)).size).toBe(20);
    // unpooled would be one connection per mail
    expect(server.connectionCount() - before).toBeLessThanOrEqual(5);
  });

  it('logs in with the credentials of the URL (percent-decoded)', async () => {
    const url = server.url.replace('smtp://', 'smtp://mailer%40cheongwon:p%40ss%3Aword@');
    const mailer = smtpMailer(url);
    await mailer.send(mail({ subject: 'with login' }));
    const received = await server.waitFor((m) => m.subject === 'with login');
    expect(received.user).toBe('mailer@cheongwon');
  });

  it('refused by a closed port: rejects with an error that names no recipient', async () => {
    const mailer = smtpMailer(`smtp://127.0.0.1:${await closedPort()}`);
    const to = 'hong.gildong@example.kr';
    const err = await mailer.send(mail({ to })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MailDeliveryError);
    const e = err as MailDeliveryError;
    expect(e.message).not.toContain(to);
    expect(e.message).not.toContain('hong.gildong');
    expect(e.message).toContain('ECONNREFUSED');
    expect(['ESOCKET', 'ECONNECTION']).toContain(e.code);
    expect(e.permanent).toBe(false);
    expect(e.cause).toBeInstanceOf(Error);
  });

  it('refused by the server for the recipient: the echoed address is kept out of the message', async () => {
    const mailer = smtpMailer();
    const to = '남궁민 <nobody@example.kr>';
    const err = (await mailer.send(mail({ to })).catch((e: unknown) => e)) as MailDeliveryError;
    expect(err).toBeInstanceOf(MailDeliveryError);
    expect(err.message).not.toContain('nobody@example.kr');
    expect(err.message).not.toContain('남궁민');
    expect(err.message).toContain('550');
    expect(err.responseCode).toBe(550);
    expect(err.permanent).toBe(true);
    // the server did echo it: the original error (cause) has it, which is why the message had to be cleaned
    expect(String((err.cause as Error).message)).toContain('nobody@example.kr');
    // …and printing the error (console.error does this) or serialising it does not show the cause
    expect(inspect(err)).not.toContain('nobody@example.kr');
    expect(inspect(err)).toContain("code: 'EENVELOPE'");
    expect(JSON.stringify(err)).not.toContain('nobody@example.kr');
  });

  it('honours TLS settings in the URL query: requireTLS against a server without STARTTLS fails', async () => {
    const mailer = smtpMailer(`${server.url}?requireTLS=true`);
    const err = (await mailer.send(mail({ subject: 'must not arrive' })).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(MailDeliveryError);
    expect(err.message).not.toContain('kim@example.kr');
    expect(server.messages.some((m) => m.subject === 'must not arrive')).toBe(false);
  });

  it('does not try STARTTLS on loopback even when offered (a self-signed local relay still works)', async () => {
    // a local relay that offers STARTTLS with smtp-server's built-in self-signed certificate
    let delivered = 0;
    const relay = new SMTPServer({
      authOptional: true,
      logger: false,
      disableReverseLookup: true,
      closeTimeout: 1000,
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => {
          delivered += 1;
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const address = relay.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const relayUrl = `smtp://127.0.0.1:${address.port}`;
    try {
      await smtpMailer(relayUrl).send(mail());
      expect(delivered).toBe(1);
      // with STARTTLS allowed again by the URL, the certificate is refused: the default really skipped TLS
      const err = await smtpMailer(`${relayUrl}?ignoreTLS=false`)
        .send(mail())
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MailDeliveryError);
      expect((err as MailDeliveryError).message).toMatch(/certificate/i);
      expect(delivered).toBe(1);
    } finally {
      await Promise.all(opened.splice(0).map((m) => m.close()));
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });

  it('refuses a mail to several recipients or with a header that breaks lines, naming no address', async () => {
    const mailer = smtpMailer();
    await expect(mailer.send(mail({ to: 'a@example.kr, b@example.kr' }))).rejects.toThrow(
      /^mail\.to must be exactly one e-mail address$/,
    );
    await expect(mailer.send(mail({ to: 'not an address' }))).rejects.toThrow(/exactly one/);
    await expect(mailer.send(mail({ headers: { 'X-Test': 'a\r\nBcc: victim@example.kr' } }))).rejects.toThrow(
      /single line/,
    );
    await expect(mailer.send(mail({ subject: 'a\nBcc: victim@example.kr' }))).rejects.toThrow(/single line/);
  });

  it('close() lets a send in flight finish, then refuses new sends', async () => {
    const mailer = createSmtpMailer({ url: server.url, from: FROM });
    const sending = mailer.send(mail({ subject: 'sent while closing' }));
    const closing = mailer.close();
    await expect(sending).resolves.toBeUndefined();
    await closing;
    expect(server.messages.some((m) => m.subject === 'sent while closing')).toBe(true);
    await expect(mailer.send(mail())).rejects.toThrow(/closed/);
  });

  it('refuses an invalid SMTP URL or sender without repeating the URL', () => {
    expect(() => createSmtpMailer({ url: 'http://user:s3cret@mail.example.kr', from: FROM })).toThrow(
      /smtp:\/\/ or smtps:\/\//,
    );
    try {
      createSmtpMailer({ url: 'smtp://user:s3cret@', from: FROM });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('s3cret');
    }
    expect(() => createSmtpMailer({ url: server.url, from: 'a@x.kr, b@x.kr' })).toThrow(/MAIL_FROM/);
  });
});

describe('smtpTransportOptions (TLS policy)', () => {
  it('requires STARTTLS for smtp:// to a remote host', () => {
    const o = smtpTransportOptions('smtp://user:pass@smtp.example.kr:587');
    expect(o).toMatchObject({ pool: true, requireTLS: true });
    expect(o.ignoreTLS).toBeUndefined();
  });

  it('uses plain SMTP without trying STARTTLS on loopback', () => {
    for (const url of [
      'smtp://127.0.0.1:2525',
      'smtp://localhost:1025',
      'smtp://[::1]:25',
      'smtp://127.8.0.1',
    ]) {
      const o = smtpTransportOptions(url);
      expect(o, url).toMatchObject({ pool: true, ignoreTLS: true });
      expect(o.requireTLS, url).toBeUndefined();
    }
  });

  it('leaves smtps:// to implicit TLS', () => {
    const o = smtpTransportOptions('smtps://user:pass@smtp.example.kr');
    expect(o.requireTLS).toBeUndefined();
    expect(o.ignoreTLS).toBeUndefined();
  });
});

describe('createMailboxMailer', () => {
  it('hands every mail to the store, with the time it was sent', async () => {
    const stored: MailboxMail[] = [];
    const sentAt = new Date('2026-11-29T06:00:00Z');
    const mailer = createMailboxMailer(
      async (m) => {
        stored.push(m);
      },
      () => sentAt,
    );
    await mailer.send(mail({ headers: { 'X-Cheongwon-Test': 'mailbox' } }));
    expect(stored).toEqual([
      {
        ...mail(),
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Cheongwon-Test': 'mailbox' },
        sentAt,
      },
    ]);
  });

  it('fails when the store fails, checks mails like SMTP, refuses sends after close', async () => {
    const failing = createMailboxMailer(async () => {
      throw new Error('mailbox table missing');
    });
    await expect(failing.send(mail())).rejects.toThrow('mailbox table missing');

    const stored: MailboxMail[] = [];
    const mailer = createMailboxMailer(async (m) => {
      stored.push(m);
    });
    await expect(mailer.send(mail({ to: 'a@example.kr; b@example.kr' }))).rejects.toThrow(/exactly one/);
    await mailer.close();
    await expect(mailer.send(mail())).rejects.toThrow(/closed/);
    expect(stored).toEqual([]);
  });
});

describe('mailerFromEnv', () => {
  it('without SMTP_URL (or with a blank one) uses the development mailbox', async () => {
    for (const env of [{}, { SMTP_URL: '' }, { SMTP_URL: '  ', MAIL_FROM: 'x@y.kr' }]) {
      const stored: MailboxMail[] = [];
      const mailer = mailerFromEnv(env, async (m) => {
        stored.push(m);
      });
      opened.push(mailer);
      await mailer.send(mail({ subject: 'to the mailbox' }));
      expect(stored.map((m) => m.subject)).toEqual(['to the mailbox']);
    }
    expect(server.messages.some((m) => m.subject === 'to the mailbox')).toBe(false);
  });

  it('with SMTP_URL sends by SMTP from MAIL_FROM, by default Cheongwon <no-reply@cheongwon.invalid>', async () => {
    const stored: MailboxMail[] = [];
    const store = async (m: MailboxMail) => {
      stored.push(m);
    };
    const byDefault = mailerFromEnv({ SMTP_URL: server.url }, store);
    opened.push(byDefault);
    await byDefault.send(mail({ subject: 'env default from' }));
    const first = await server.waitFor((m) => m.subject === 'env default from');
    expect(first.from).toBe(DEFAULT_MAIL_FROM);
    expect(DEFAULT_MAIL_FROM).toBe('Cheongwon <no-reply@cheongwon.invalid>');

    const custom = mailerFromEnv({ SMTP_URL: server.url, MAIL_FROM: '청원 <petitions@example.kr>' }, store);
    opened.push(custom);
    await custom.send(mail({ subject: 'env custom from' }));
    const second = await server.waitFor((m) => m.subject === 'env custom from');
    expect(second.from).toBe('청원 <petitions@example.kr>');
    expect(stored).toEqual([]);
  });
});
