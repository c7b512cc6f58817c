/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { DomainError } from '../domain/errors.js';
import { RECORD_NUMBER_SOURCE } from '../domain/record-numbers.js';
import { errorMessage, t } from '../i18n/index.js';
import { type ApiOptions, apiV1 } from './api/v1.js';
import { siteAssets } from './assets.js';
import { registerCreateRoutes } from './creation/routes.js';
import { type DeskContext, deskApi } from './desk/api.js';
import { registerSupportPages } from './desk/support.js';
import { registerTransparencyReport } from './desk/transparency.js';
import { apiError, HTTP_STATUS } from './errors.js';
import { clientAddressFrom } from './middleware/client-address.js';
import { compressResponses } from './middleware/compression.js';
import { createLocaleMiddleware, localizeApiErrors, pageContext } from './middleware/locale.js';
import { sameOriginWrites } from './middleware/same-origin.js';
import { registerPublicPages } from './public/pages.js';
import { registerNotificationRoutes } from './public/unsubscribe.js';
import { registerSigningRoutes, type SigningContext } from './signing/routes.js';
import type { Site } from './site.js';
import { registerDeskStaffRoutes } from './staff/desk.js';
import { registerResponseRoutes } from './staff/responses.js';
import { registerStaffRoutes, type StaffContext } from './staff/routes.js';
import { ErrorPage } from './views/lists.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** PUBLIC_URL's origin, else the request's: what absolute links in pages start with. */
    publicOrigin: string;
  }
}

/**
 * The whole web application: public pages (server-rendered HTML in Korean or English — `localeMiddleware` — on
 * KRDS, no JavaScript needed; http/public/), the signing and creation paths, staff pages, and the read API under
 * /api/v1: the middleware, then each area's registrar, then the error pages. Routes stay thin: parse, call one
 * command or one read, present.
 */
export function createApp(
  site: Site,
  signing?: SigningContext,
  api: ApiOptions = {},
  staff?: StaffContext,
  desk?: DeskContext,
): Hono {
  const app = new Hono();
  app.use(compressResponses);
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        // no page of ours is framed, no <base> is needed, and every form posts to this site (sign-in with a
        // provider starts from a link, not a form, so its redirect needs no form-action source)
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
      permissionsPolicy: {
        camera: [],
        microphone: [],
        geolocation: [],
        payment: [],
        usb: [],
        serial: [],
        bluetooth: [],
        hid: [],
      },
    }),
  );
  // views read the request through AsyncLocalStorage (the Layout's absolute canonical and hreflang links)
  app.use(contextStorage());
  const configuredOrigin = site.publicUrl ? new URL(site.publicUrl).origin : null;
  app.use(async (c, next) => {
    c.set('publicOrigin', configuredOrigin ?? new URL(c.req.url).origin);
    await next();
  });
  // pages open in the deployment profile's language (UK: English) unless the visitor chose another
  app.use(createLocaleMiddleware(site.profile(site.deploymentProfile).locale));
  app.use(rejectMalformedUrls);
  app.use(clientAddressFrom(site.trustedProxies));
  // forms are posted by this site's own pages only (CSRF); programs without browser headers may post too
  app.use(sameOriginWrites(site.publicUrl ? [site.publicUrl] : []));
  // open data: any site may read the API from a browser
  app.use('/api/v1/*', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));
  app.use('/api/*', localizeApiErrors);
  app.route('/api/v1', apiV1(site, api));
  if (desk) app.route('/api/desk/v1', deskApi(site, desk));

  siteAssets().register(app);
  app.get('/healthz', (c) => c.json({ ok: true }));
  if (signing) registerCreateRoutes(app, site, signing); // before /petitions/:id, which would take /petitions/new

  if (desk) registerSupportPages(app, site, desk); // the victim's pages (/support)
  if (desk) registerTransparencyReport(app, site);
  registerPublicPages(app, site, signing);
  if (signing) registerSigningRoutes(app, site, signing);
  if (signing) registerNotificationRoutes(app, site, { secret: signing.cookieSecret });
  if (staff) {
    // decisions and answers change what petition pages show: the shared pages are retired when staff post
    app.use('/staff/*', async (c, next) => {
      await next();
      if (c.req.method === 'POST') site.pages.invalidateAll();
    });
    const staffRoute = registerStaffRoutes(app, site, staff);
    registerResponseRoutes(site, staffRoute);
    if (desk) {
      registerDeskStaffRoutes(site, staffRoute, desk);
      app.get('/desk', (c) => c.redirect('/staff/desk', 302));
    }
  }

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/') && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return c.json(
        apiError('method_not_allowed', `${c.req.method} is not allowed here; the API is read-only.`),
        405,
      );
    }
    if (c.req.path.startsWith('/api/'))
      return c.json(apiError('not_found', `No API resource at ${c.req.path}.`), 404);
    const page = pageContext(c);
    return c.html(
      <ErrorPage
        site={site}
        page={page}
        status={404}
        code="not_found"
        message={t(page.locale, 'errorPage.noSuchPage')}
      />,
      404,
    );
  });

  app.onError((error, c) => {
    if (error instanceof DomainError) {
      const status = HTTP_STATUS[error.code];
      const retryAfter = error.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
      const json =
        c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').includes('application/json');
      if (json) return c.json(apiError(error.code, error.message, error.details), status);
      const context = pageContext(c);
      const page = { ...context, url: languageSwitchTarget(c, context.url) };
      return c.html(
        <ErrorPage
          site={site}
          page={page}
          status={status}
          code={error.code}
          message={errorMessage(page.locale, error.code, error.message)}
        />,
        status,
      );
    }
    console.error(error);
    return c.text('Internal Server Error', 500);
  });

  /**
   * Where an error page's language switch leads: the same page for an ordinary GET; for a form's POST or a sign-in
   * callback (whose code and state work once), the page the person came from — the petition of a
   * /petitions/<id>/… action — or the home page. Following the switch never re-sends anything.
   * @param url the request's own path and query (`pageContext(c).url`)
   */
  function languageSwitchTarget(c: Context, url: string): string {
    if (c.req.method === 'GET' && !c.req.path.startsWith('/auth/')) return url;
    const petition = new RegExp(`^/petitions/(${RECORD_NUMBER_SOURCE})/`).exec(c.req.path)?.[1];
    return petition ? `/petitions/${petition}` : '/';
  }

  return app;
}

/**
 * Refuses URLs whose percent-encoding is not valid UTF-8 (e.g. `?q=%FF`) with 400 `invalid_parameter`, instead of
 * letting the raw escape through as if it were text.
 */
const rejectMalformedUrls: MiddlewareHandler = async (c, next) => {
  const url = c.req.url;
  try {
    decodeURIComponent(url.slice(url.indexOf('/', url.indexOf('//') + 2)).replace(/\+/g, ' '));
  } catch {
    // the API speaks English unless Accept-Language asks for Korean (localizeApiErrors)
    const locale = c.req.path.startsWith('/api/') ? 'en' : c.var.locale;
    throw new DomainError('invalid_parameter', t(locale, 'errorPage.malformedUrl'));
  }
  await next();
};
