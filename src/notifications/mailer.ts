import { inspect } from 'node:util';
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';

/** One mail to one person. */
export interface OutgoingMail {
  /** A single recipient address (`a@b.kr` or `이름 <a@b.kr>`); lists are refused. */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra header fields; names are RFC 5322 field names, values single lines. */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Resolves once the mail is handed over (SMTP server accepted it, or the mailbox stored it). */
  send(mail: OutgoingMail): Promise<void>;
  /** Waits for sends in flight, then releases connections. Sends after close() reject. */
  close(): Promise<void>;
}

/** A mail as the development mailbox stores it. */
export type MailboxMail = OutgoingMail & { sentAt: Date };

export const DEFAULT_MAIL_FROM = 'Cheongwon <no-reply@cheongwon.invalid>';

/**
 * Why a mail could not be handed over. The message never contains an e-mail address (neither the recipient's nor
 * one a server echoed back): it is safe to log. `cause` is the original nodemailer error, which MAY contain the
 * recipient (in its message, `response` or `rejected`): read it while debugging, never log it. So that
 * `console.error(err)` (the app's last-resort handler) cannot print it either, util.inspect shows this error
 * without its cause; `JSON.stringify` never included it (not enumerable).
 */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  /** nodemailer's code (`ESOCKET` for a refused connection, `ECONNECTION`, `EENVELOPE`, `EAUTH`, `ETLS`, …). */
  readonly code: string | undefined;
  /** SMTP reply code of the refusal (550, 421, …), or undefined when the server gave none. */
  readonly responseCode: number | undefined;
  /** True when sending the same mail again would be refused again (a 5xx reply other than 503). */
  readonly permanent: boolean;

  constructor(message: string, cause: unknown) {
    super(message, { cause });
    const c = (typeof cause === 'object' && cause !== null ? cause : {}) as {
      code?: unknown;
      responseCode?: unknown;
      permanent?: unknown;
    };
    this.code = typeof c.code === 'string' ? c.code : undefined;
    this.responseCode = typeof c.responseCode === 'number' ? c.responseCode : undefined;
    this.permanent = c.permanent === true;
  }

  [inspect.custom](): string {
    const fields = [
      `code: ${inspect(this.code)}`,
      `responseCode: ${inspect(this.responseCode)}`,
      `permanent: ${this.permanent}`,
      'cause: [not shown, may hold the address]',
    ];
    return `${this.stack ?? `${this.name}: ${this.message}`} { ${fields.join(', ')} }`;
  }
}

const DEFAULT_HEADERS: Record<string, string> = {
  // RFC 3834: an automatic message; vacation responders and auto-forwarders leave it alone
  'Auto-Submitted': 'auto-generated',
};

/**
 * nodemailer pool options for an `SMTP_URL`. Exported for tests; {@link createSmtpMailer} uses it.
 *
 * TLS policy:
 *  - `smtps://host[:465]`: implicit TLS (`secure: true`);
 *  - `smtp://` to any host that is not loopback: STARTTLS is REQUIRED (`requireTLS: true`) — the mail carries a
 *    person's name and address, and the login, so a server or an attacker that leaves STARTTLS out must not get
 *    them in plain text;
 *  - `smtp://` to loopback (`localhost`, `127.0.0.0/8`, `::1`): plain SMTP, STARTTLS not even tried
 *    (`ignoreTLS: true`) — a local relay, an SSH tunnel or a development catcher, where TLS protects nothing and a
 *    self-signed certificate would only make sending fail.
 * Query parameters of the URL override any of this and set other nodemailer options (`?requireTLS=false` for a
 * relay on a trusted network, `?ignoreTLS=false`, `?tls.rejectUnauthorized=false`, `?maxConnections=2`,
 * `?socketTimeout=60000`); values `true`/`false`/numbers are converted.
 *
 * Timeouts are shorter than nodemailer's (2 min to connect, 10 min idle socket), since a person may be waiting:
 * 10 s to connect, 10 s for the greeting, 30 s of silence.
 *
 * @throws Error (without the URL, which may hold a password) when the URL is not smtp:// or smtps:// with a host.
 */
export function smtpTransportOptions(url: string): SMTPPoolOptions & { pool: true } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('SMTP_URL is not a valid URL (expected smtp://user:pass@host:587 or smtps://…)');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${parsed.protocol}//`);
  }
  if (parsed.hostname === '') throw new Error('SMTP_URL has no host');
  const tlsPolicy =
    parsed.protocol === 'smtps:'
      ? {}
      : isLoopback(parsed.hostname)
        ? { ignoreTLS: true }
        : { requireTLS: true };
  return {
    // nodemailer parses the URL (credentials percent-decoded, query → options); its values win over the keys
    // below, which are the defaults
    url,
    pool: true,
    ...tlsPolicy,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // one person per mail; nothing a message might point at is fetched or read
    maxRecipients: 1,
    disableFileAccess: true,
    disableUrlAccess: true,
    // nodemailer logs nothing unless given a logger; say it, since its debug log would contain addresses
    logger: false,
    debug: false,
  };
}

/**
 * Sends through an SMTP server over a POOL of connections (nodemailer `pool: true`: up to 5 connections, 100
 * mails each, closed after 4 min idle). Pooling matters: ~7 ms per mail against ~110 ms with a new connection per
 * mail. See {@link smtpTransportOptions} for the URL, TLS and timeouts.
 *
 * Every transport error is rethrown as a {@link MailDeliveryError} whose message holds no address.
 * `close()` waits up to `closeTimeoutMs` (default 10 s) for sends in flight, then ends every connection (QUIT).
 */
export function createSmtpMailer(opts: { url: string; from: string; closeTimeoutMs?: number }): Mailer {
  if (singleAddress(opts.from) === null)
    throw new Error('MAIL_FROM must be exactly one address, e.g. "Cheongwon <no-reply@…>"');
  const transporter = nodemailer.createTransport(smtpTransportOptions(opts.url));
  const closeTimeoutMs = opts.closeTimeoutMs ?? 10_000;
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | null = null;

  return {
    async send(mail) {
      if (closing) throw new Error('mailer is closed');
      checkMail(mail);
      const sending = transporter.sendMail({
        from: opts.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { ...DEFAULT_HEADERS, ...mail.headers },
      });
      inFlight.add(sending);
      try {
        await sending;
      } catch (err) {
        throw new MailDeliveryError(`SMTP delivery failed: ${describe(err, mail.to)}`, err);
      } finally {
        inFlight.delete(sending);
      }
    },
    close() {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          Promise.allSettled([...inFlight]).then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), closeTimeoutMs);
          }),
        ]);
        clearTimeout(timer);
        // force: a send still running after the grace period fails rather than holding the process open
        transporter.close({ force: timedOut });
      })();
      return closing;
    },
  };
}

/**
 * For a deployment without SMTP (the embedded default): every mail is handed to `store`, which keeps it in the
 * development mailbox the app shows, so a signature can be completed locally without a mail server. Mails are
 * checked the same way as for SMTP, so a mail refused in production is refused here too.
 */
export function createMailboxMailer(
  store: (mail: MailboxMail) => Promise<void>,
  now: () => Date = () => new Date(),
): Mailer {
  let closed = false;
  return {
    async send(mail) {
      if (closed) throw new Error('mailer is closed');
      checkMail(mail);
      const stored: MailboxMail = {
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { ...DEFAULT_HEADERS, ...mail.headers },
        sentAt: now(),
      };
      await store(stored);
    },
    async close() {
      closed = true;
    },
  };
}

/**
 * The mailer of a deployment: `SMTP_URL` set (non-blank) → {@link createSmtpMailer} with `MAIL_FROM` (default
 * {@link DEFAULT_MAIL_FROM}); otherwise the development mailbox ({@link createMailboxMailer} over `store`).
 * @throws Error at start for an invalid SMTP_URL or MAIL_FROM (the message never repeats the URL).
 */
export function mailerFromEnv(
  env: Record<string, string | undefined>,
  store: (mail: MailboxMail) => Promise<void>,
): Mailer {
  const url = env.SMTP_URL?.trim();
  if (!url) return createMailboxMailer(store);
  const from = env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM;
  return createSmtpMailer({ url, from });
}

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/** The one mailbox address in `value`, or null when there is none, several, or a group. */
function singleAddress(value: string): string | null {
  if (/[\r\n]/.test(value)) return null;
  const parsed = addressparser(value, { flatten: false });
  if (parsed.length !== 1) return null;
  const only = parsed[0];
  if (!only || only.group !== undefined || !/^[^@\s]+@[^@\s]+$/.test(only.address)) return null;
  return only.address;
}

const HEADER_NAME = /^[!-9;-~]+$/;

function checkMail(mail: OutgoingMail): void {
  if (singleAddress(mail.to) === null) {
    // the address itself stays out of the message
    throw new Error('mail.to must be exactly one e-mail address');
  }
  if (/[\r\n]/.test(mail.subject)) throw new Error('mail.subject must be a single line');
  for (const [name, value] of Object.entries(mail.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw new Error(`mail header name ${JSON.stringify(name)} is not valid`);
    if (/[\r\n]/.test(value)) throw new Error(`mail header ${name} must be a single line`);
  }
}

const ANY_ADDRESS = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+/g;

/**
 * The error's code, reply code and message, with the recipient and anything else that looks like an e-mail address
 * replaced by `[address]` (servers echo the address back: `550 5.1.1 <kim@example.kr>: Recipient address rejected`).
 */
function describe(err: unknown, recipient: string): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    responseCode?: unknown;
    message?: unknown;
  };
  const parts = [e.code, e.responseCode].filter((p) => typeof p === 'string' || typeof p === 'number');
  const message = typeof e.message === 'string' ? e.message : String(err);
  let safe = message;
  for (const part of [recipient, singleAddress(recipient)]) {
    if (part) safe = safe.split(part).join('[address]');
  }
  safe = safe.replace(ANY_ADDRESS, '[address]');
  return parts.length > 0 ? `${parts.join(' ')}: ${safe}` : safe;
}
