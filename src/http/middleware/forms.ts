/**
 * Form bodies (application/x-www-form-urlencoded) read strictly: a size limit, UTF-8 only, no repeated fields.
 * Shared by the signing, creation and staff routes.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { DomainError } from '../../domain/errors.js';
import { DEFAULT_LOCALE, type Locale, t } from '../../i18n/index.js';

/** The language of this request's pages and refusals (`c.var.locale`; Korean without the locale middleware). */
export const localeOf = (c: Context): Locale => c.var.locale ?? DEFAULT_LOCALE;

/** Largest form body accepted on the signing path (bytes). */
const MAX_FORM_BYTES = 16 * 1024;

/**
 * Reads a request body of at most `maxBytes` (default `MAX_FORM_BYTES`). On Node it reads the socket's
 * IncomingMessage directly: building a WHATWG Request to read a 30-byte form costs more CPU than the rest of a
 * one-click agreement.
 * @throws DomainError('body_too_large'), its message in the request's language
 */
async function readBody(c: Context, maxBytes = MAX_FORM_BYTES): Promise<Buffer> {
  const tooLarge = () =>
    new DomainError('body_too_large', t(localeOf(c), 'form.tooLarge', { kb: Math.floor(maxBytes / 1024) }));
  if (Number(c.req.header('content-length') ?? 0) > maxBytes) throw tooLarge();
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) {
    const body = Buffer.from(await c.req.arrayBuffer());
    if (body.length > maxBytes) throw tooLarge();
    return body;
  }
  // plain stream events: an async iterator per request costs a visible share of a one-click agreement under load
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        incoming.destroy(); // stop reading a body that is refused anyway
        reject(tooLarge());
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    incoming.on('data', onData).on('end', onEnd).on('error', onError);
    if (incoming.readableEnded) onEnd();
  });
}

/**
 * Form fields (application/x-www-form-urlencoded) as strings. Other content types, repeated fields, and text that
 * was not valid UTF-8 (percent-escapes decoding to U+FFFD) are refused.
 * @param maxBytes largest body accepted (bytes; default 16 KB, the signing path's forms)
 * @throws DomainError('invalid_body' | 'body_too_large'), its message in the request's language (`c.var.locale`)
 */
export async function formFields(c: Context, maxBytes = MAX_FORM_BYTES): Promise<Record<string, string>> {
  const locale = localeOf(c);
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    throw new DomainError('invalid_body', t(locale, 'form.notForm'));
  }
  // the bytes must be UTF-8 as they are, and so must every percent-escape (decoded to U+FFFD otherwise)
  const params = new URLSearchParams(strictUtf8(await readBody(c, maxBytes), locale));
  const fields: Record<string, string> = Object.create(null);
  for (const [key, value] of params) {
    if (key.includes('\uFFFD') || value.includes('\uFFFD')) {
      throw new DomainError('invalid_body', t(locale, 'form.notUtf8'));
    }
    if (Object.hasOwn(fields, key))
      throw new DomainError('invalid_body', t(locale, 'form.repeated', { field: key }));
    fields[key] = value;
  }
  return fields;
}

/**
 * `bytes` decoded as UTF-8.
 * @throws DomainError('invalid_body') in `locale` when they are not valid UTF-8
 */
/** One decoder for every form: with `fatal`, a whole-buffer `decode` keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function strictUtf8(bytes: Buffer, locale: Locale): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new DomainError('invalid_body', t(locale, 'form.notUtf8'));
  }
}
