import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { type DetectorOptions, detectFromHeader } from 'hono/language';
import type { ErrorCode } from '../../domain/errors.js';
import { asLocale, DEFAULT_LOCALE, errorMessage, LOCALES, type Locale } from '../../i18n/index.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The language of this request's page (query `lang`, else the `lang` cookie, else Korean). */
    locale: Locale;
  }
}

/** The query parameter and cookie that carry the chosen language. */
export const LANG_PARAMETER = 'lang';
export const LANG_COOKIE = 'lang';
/** How long the choice is remembered: one year (seconds). */
const LANG_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

const HEADER_OPTIONS: DetectorOptions = {
  order: ['header'],
  lookupQueryString: LANG_PARAMETER,
  lookupCookie: LANG_COOKIE,
  lookupFromHeaderKey: 'accept-language',
  lookupFromPathIndex: 0,
  caches: false,
  ignoreCase: true,
  fallbackLanguage: DEFAULT_LOCALE,
  supportedLanguages: [...LOCALES],
  cookieOptions: {},
  debug: false,
};

/**
 * Chooses the page language and remembers a switch. `c.var.locale` is the `?lang=` of the URL when it names a
 * language (a shared link opens in the language it was shared in, and the choice is stored in the `lang` cookie:
 * SameSite=Lax, one year, HttpOnly), else the cookie, else the deployment profile's language
 * (`createLocaleMiddleware(profile.locale)`: Korean for the Korean boards, English for the UK site). An unknown `lang` is ignored like other
 * unknown parameters (the API and /assets neither set the cookie nor vary on it). Pages are never chosen by `Accept-Language`: a Korean national platform opens in Korean
 * unless the person switches. Every non-API response gets `Vary: Cookie`, so a cache never serves one person's
 * language to another; pages state their language with `Content-Language` (see `pageContext`).
 */
export const localeMiddleware: MiddlewareHandler = createLocaleMiddleware(DEFAULT_LOCALE);

/** `localeMiddleware` for a site whose pages open in `siteLocale` (its policy profile's language). */
export function createLocaleMiddleware(siteLocale: Locale): MiddlewareHandler {
  return async (c, next) => {
    const cookie = asLocale(getCookie(c, LANG_COOKIE));
    let asked: Locale | undefined;
    try {
      asked = asLocale(c.req.query(LANG_PARAMETER));
    } catch {
      // a URL that does not decode is refused by rejectMalformedUrls; it has no language to offer
    }
    const locale = asked ?? cookie ?? siteLocale;
    c.set('locale', locale);
    const path = c.req.path;
    const page = !path.startsWith('/api/') && !path.startsWith('/assets/');
    if (page && asked && asked !== cookie) {
      setCookie(c, LANG_COOKIE, asked, {
        path: '/',
        sameSite: 'Lax',
        maxAge: LANG_COOKIE_MAX_AGE,
        httpOnly: true,
        secure: new URL(c.req.url).protocol === 'https:',
      });
    }
    // set before the route answers: a header added to a finished response makes Hono copy it into a streamed
    // Response, which cost the whole site three quarters of its throughput (bench:sign's bare route, 11k → 2.6k/s)
    if (page) c.header('Vary', 'Cookie', { append: true });
    await next();
  };
}

/** What a translated page needs to know about its request: its language and its own URL (path and query). */
export interface PageContext {
  locale: Locale;
  url: string;
}

/**
 * The page context of this request, declaring the page's language (`Content-Language`) — call it in routes whose
 * pages render in `c.var.locale`. Routes whose pages are not yet translated do not call it (their pages stay
 * Korean and say so in `<html lang>`).
 */
export function pageContext(c: Context): PageContext {
  const locale = c.var.locale ?? DEFAULT_LOCALE;
  c.header('Content-Language', locale);
  const url = new URL(c.req.url);
  return { locale, url: `${url.pathname}${url.search}` };
}

/**
 * The language of an API error message: the first of Korean or English in `Accept-Language` (q-values honoured),
 * else `undefined` (the message stays as thrown). The answer must then `Vary: Accept-Language`.
 */
export function apiErrorLocale(c: Context): Locale | undefined {
  if (!c.req.header('accept-language')) return undefined;
  return asLocale(detectFromHeader(c, HEADER_OPTIONS));
}

/**
 * `url` (path and query of this request) with `lang` set to `locale`: the header's switch to the same page in the
 * other language. Other parameters (search text, sort, page) are kept.
 */
export function withLanguage(url: string, locale: Locale): string {
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set(LANG_PARAMETER, locale);
  return `${path}?${params.toString()}`;
}

/**
 * Gives API error messages in the language `Accept-Language` asks for (Korean or English; see `apiErrorLocale`),
 * leaving everything else of the answer as it is: JSON stays locale-neutral apart from `error.message`. Every
 * API error answer carries `Vary: Accept-Language`. Runs after the API's own handlers, so the routes keep
 * throwing or returning one message.
 */
export const localizeApiErrors: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status < 400 || !(c.res.headers.get('content-type') ?? '').includes('application/json')) return;
  c.header('Vary', 'Accept-Language', { append: true });
  const locale = apiErrorLocale(c);
  if (!locale) return;
  const body = (await c.res
    .clone()
    .json()
    .catch(() => null)) as { error?: { code?: unknown; message?: unknown } } | null;
  const error = body?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') return;
  const message = errorMessage(locale, error.code as ErrorCode, error.message);
  if (message === error.message) return;
  const headers = new Headers(c.res.headers);
  headers.delete('content-length');
  c.res = new Response(JSON.stringify({ ...body, error: { ...error, message } }), {
    status: c.res.status,
    headers,
  });
};
