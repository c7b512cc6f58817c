import type { AddressInfo } from 'node:net';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message as the test server received and parsed it. */
export interface ReceivedMail {
  /** The From header as `Name <address>` (name unquoted and decoded, e.g. `청원 <a@b.kr>`), or just the address. */
  from: string;
  /** The envelope recipients (RCPT TO), i.e. who the message was actually delivered to. */
  to: string[];
  subject: string;
  /** The text/plain part ('' when absent). */
  text: string;
  /** The text/html part ('' when absent). */
  html: string;
  /** Every header, keys lower-cased (mailparser's structured values). */
  headers: Map<string, unknown>;
  /** The SMTP AUTH user name of the session, null when the client did not authenticate. */
  user: string | null;
}

export interface TestSmtpServerOptions {
  /**
   * Recipients for which RCPT TO is refused with `550 5.1.1 <address>: Recipient address rejected` — the address
   * echoed back the way Postfix does, to check that callers keep it out of their errors.
   */
  rejectRecipient?: (address: string) => boolean;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>` (no credentials; any user name and password are accepted if sent). */
  url: string;
  /** Received messages, in order of arrival. */
  messages: ReceivedMail[];
  /** How many SMTP connections clients have opened so far (a pooled client reuses them). */
  connectionCount(): number;
  /** The first received message (already received or still to come) matching `predicate`. Default timeout 5 s. */
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Stops listening; connections still open are dropped after 1 s. Pending `waitFor` calls reject. */
  close(): Promise<void>;
}

/**
 * A REAL SMTP server (smtp-server 3) on 127.0.0.1 at a free port, for tests of code that sends mail.
 *
 *  - plain SMTP only: no implicit TLS (`secure: false`) and STARTTLS is neither offered nor accepted, so a client
 *    that insists on TLS (nodemailer's `requireTLS`) fails, as it would against a real server without TLS;
 *  - authentication is optional; AUTH PLAIN/LOGIN is offered over the plain connection (`allowInsecureAuth`) and
 *    accepts any user name and password, recorded as {@link ReceivedMail.user};
 *  - each message is parsed with mailparser's `simpleParser` BEFORE the server answers the end of DATA, so when a
 *    client's send has resolved the message is already in `messages`.
 */
export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<{
    predicate: (m: ReceivedMail) => boolean;
    resolve: (m: ReceivedMail) => void;
    reject: (err: Error) => void;
  }>();

  let connections = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? '' });
    },
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipient?.(address.address)) {
        const err = new Error(`5.1.1 <${address.address}>: Recipient address rejected`) as Error & {
          responseCode: number;
        };
        err.responseCode = 550;
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: ReceivedMail = {
            from: addressText(parsed.from),
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            headers: parsed.headers as Map<string, unknown>,
            user: session.user ? String(session.user) : null,
          };
          messages.push(mail);
          for (const waiter of waiters) {
            if (waiter.predicate(mail)) {
              waiters.delete(waiter);
              waiter.resolve(mail);
            }
          }
          callback();
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  // an error after start (a client misbehaving) must not crash the test run
  server.on('error', () => {});
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    connectionCount: () => connections,
    waitFor(predicate, timeoutMs = 5000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const subjects = messages.map((m) => JSON.stringify(m.subject)).join(', ');
          reject(
            new Error(`no matching mail within ${timeoutMs} ms; received ${messages.length}: [${subjects}]`),
          );
        }, timeoutMs);
        const waiter = {
          predicate,
          resolve: (m: ReceivedMail) => {
            clearTimeout(timer);
            resolve(m);
          },
          reject: (err: Error) => {
            clearTimeout(timer);
            reject(err);
          },
        };
        waiters.add(waiter);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const waiter of waiters) waiter.reject(new Error('test SMTP server closed'));
        waiters.clear();
        server.close(() => resolve());
      }),
  };
}

function addressText(field: AddressObject | AddressObject[] | undefined): string {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects
    .flatMap((o) => o.value)
    .map((a) => (a.name ? `${a.name} <${a.address ?? ''}>` : (a.address ?? '')))
    .join(', ');
}
