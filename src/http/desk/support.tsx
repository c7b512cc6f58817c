/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { checkCasePin } from '../../commands/desk/check-case-pin.js';
import { submitCase } from '../../commands/desk/submit-case.js';
import { withdrawCase } from '../../commands/desk/withdraw-case.js';
import { DomainError } from '../../domain/errors.js';
import { type Locale, t } from '../../i18n/index.js';
import { caseStatus } from '../../repositories/desk.js';
import { clientKey } from '../../signing/rate-limits.js';
import { siteAssets } from '../assets.js';
import { clientAddress } from '../middleware/client-address.js';
import { formFields } from '../middleware/forms.js';
import { pageContext } from '../middleware/locale.js';
import type { Site } from '../site.js';
import { Layout } from '../views/layout.js';
import type { DeskContext } from './api.js';

/**
 * The victim's pages, `/support` (Korean and English): choose files → each is hashed IN THE BROWSER by the PDQ
 * worker (src/browser/pdq-worker.ts: PDQ for images, MD5 for videos; thumbnails are object URLs that never leave
 * the page) → only `{ algorithm, hash, quality }` is posted to `/support/cases` with the optional URLs, contact
 * and under-18 track → the case number and PIN are shown once. `/support/status` shows progress (after the case
 * number and PIN) and lets the victim withdraw. Pages are `no-store` and `no-referrer`; case creation and PIN
 * checks are rate-limited per client address.
 */
export function registerSupportPages(app: Hono, site: Site, desk: DeskContext): void {
  const creating = new RateLimiterMemory({ keyPrefix: 'support-create', points: 10, duration: 3600 });
  const checking = new RateLimiterMemory({ keyPrefix: 'support-pin', points: 20, duration: 900 });
  const limit = async (c: Context, limiter: RateLimiterMemory) => {
    try {
      await limiter.consume(clientKey(clientAddress(c)));
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new DomainError('rate_limited', t(c.var.locale ?? 'ko', 'error.rate_limited'), {
        retryAfterSeconds,
      });
    }
  };
  const privateHeaders = (c: Context) => {
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
  };

  app.get('/support', (c) => {
    privateHeaders(c);
    const page = pageContext(c);
    return c.html(
      <SupportFrame site={site} locale={page.locale} url={page.url} title={t(page.locale, 'support.title')}>
        <SupportIntro locale={page.locale} desk={desk} />
        <SupportForm locale={page.locale} />
      </SupportFrame>,
    );
  });

  app.post('/support/cases', async (c) => {
    privateHeaders(c);
    await limit(c, creating);
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      throw new DomainError('invalid_body', 'The request body must be JSON.');
    }
    if (typeof body !== 'object' || body === null)
      throw new DomainError('invalid_body', 'The request body must be a JSON object.');
    const locale: Locale = body.locale === 'en' ? 'en' : 'ko';
    const urls =
      typeof body.urls === 'string'
        ? body.urls.split(/\r?\n/)
        : Array.isArray(body.urls)
          ? body.urls.map(String)
          : [];
    const made = await submitCase(
      { db: site.db, secret: desk.secret, operatorName: desk.operatorName, now: site.now() },
      {
        hashes: Array.isArray(body.hashes) ? body.hashes : [],
        urls,
        ...(typeof body.contact === 'string' ? { contact: body.contact } : {}),
        minor: body.minor === true,
        locale,
      },
    );
    desk.index.invalidate();
    return c.json(
      { case_number: made.caseNumber, pin: made.pin, hashes: made.hashes, takedowns: made.takedowns },
      201,
    );
  });

  app.get('/support/status', (c) => {
    privateHeaders(c);
    const page = pageContext(c);
    return c.html(
      <SupportFrame
        site={site}
        locale={page.locale}
        url={page.url}
        title={t(page.locale, 'support.statusTitle')}
      >
        <h1>{t(page.locale, 'support.statusTitle')}</h1>
        <p>{t(page.locale, 'support.statusIntro')}</p>
        <CaseForm locale={page.locale} />
      </SupportFrame>,
    );
  });

  app.post('/support/status', async (c) => {
    privateHeaders(c);
    await limit(c, checking);
    const page = pageContext(c);
    const f = await formFields(c);
    const opened = await checkCasePin(site.db, { caseNumber: f.case_number ?? '', pin: f.pin ?? '' });
    const status = await caseStatus(site.db, opened.caseId);
    if (!status) throw new DomainError('case_not_found', t(page.locale, 'error.case_not_found'));
    return c.html(
      <SupportFrame
        site={site}
        locale={page.locale}
        url="/support/status"
        title={t(page.locale, 'support.statusTitle')}
      >
        <CaseStatusView locale={page.locale} status={status} />
      </SupportFrame>,
    );
  });

  app.post('/support/withdraw', async (c) => {
    privateHeaders(c);
    await limit(c, checking);
    const page = pageContext(c);
    const f = await formFields(c);
    if (f.confirm !== 'yes') {
      throw new DomainError('invalid_parameter', t(page.locale, 'support.withdrawConfirm'), {
        fields: { confirm: 'required' },
      });
    }
    const opened = await checkCasePin(site.db, { caseNumber: f.case_number ?? '', pin: f.pin ?? '' });
    const done = await withdrawCase(site.db, { caseId: opened.caseId, now: site.now() });
    desk.index.invalidate();
    return c.html(
      <SupportFrame
        site={site}
        locale={page.locale}
        url="/support"
        title={t(page.locale, 'support.withdrawnHeading')}
      >
        <h1>{t(page.locale, 'support.withdrawnHeading')}</h1>
        <p role="status">{t(page.locale, 'support.withdrawnBody', { count: done.deactivated })}</p>
        <p>
          <a href="/support">{t(page.locale, 'support.title')}</a>
        </p>
      </SupportFrame>,
    );
  });
}

function SupportFrame(props: { site: Site; locale: Locale; url: string; title: string; children?: unknown }) {
  return (
    <Layout
      title={props.title}
      categories={props.site.categories(props.locale)}
      locale={props.locale}
      url={props.url}
    >
      <div class="support">{props.children as never}</div>
    </Layout>
  );
}

function SupportIntro(props: { locale: Locale; desk: DeskContext }) {
  const m = (k: Parameters<typeof t>[1], v?: Parameters<typeof t>[2]) => t(props.locale, k, v);
  return (
    <>
      <h1>{m('support.heading')}</h1>
      <p>{m('support.intro')}</p>
      <p>
        <strong>{m('support.never')}</strong>
      </p>
      <p class="support-hotline">
        {m('support.hotline', { name: props.desk.operatorName })}{' '}
        <a href={`tel:${props.desk.hotline.replace(/[^0-9+]/g, '')}`}>{props.desk.hotline}</a>
      </p>
      <p>
        <a href="/support/status">{m('support.statusLink')}</a>
      </p>
    </>
  );
}

function SupportForm(props: { locale: Locale }) {
  const m = (k: Parameters<typeof t>[1]) => t(props.locale, k);
  const messages = {
    hashing: m('support.hashing'),
    hashed: t(props.locale, 'support.hashed', { count: 0 }).replace('0', '#'),
    video: m('support.fileVideo'),
    failed: m('support.fileFailed'),
    lowQuality: m('support.lowQuality'),
    nothing: m('support.nothingToSend'),
    sending: m('support.sending'),
    sendFailed: t(props.locale, 'support.sendFailed', { message: '#' }),
  };
  return (
    <>
      <noscript>
        <p class="form-hint">{m('support.noScript')}</p>
      </noscript>
      <form
        id="support-form"
        class="support-form"
        data-worker={siteAssets().bundles['pdq-worker']}
        data-locale={props.locale}
        data-messages={JSON.stringify(messages)}
        hidden
      >
        <div class="form-group">
          <label for="support-files">{m('support.filesLabel')}</label>
          <p class="form-hint" id="support-files-hint">
            {m('support.filesHint')}
          </p>
          <input
            id="support-files"
            type="file"
            multiple
            accept="image/*,video/*"
            aria-describedby="support-files-hint"
          />
          <p id="support-progress" role="status" aria-live="polite"></p>
          <ul id="support-previews" class="support-previews"></ul>
        </div>
        <div class="form-group">
          <label for="support-urls">{m('support.urlsLabel')}</label>
          <p class="form-hint" id="support-urls-hint">
            {m('support.urlsHint')}
          </p>
          <textarea
            id="support-urls"
            class="krds-input"
            rows={3}
            aria-describedby="support-urls-hint"
          ></textarea>
        </div>
        <div class="form-group">
          <label for="support-contact">{m('support.contactLabel')}</label>
          <p class="form-hint" id="support-contact-hint">
            {m('support.contactHint')}
          </p>
          <input
            id="support-contact"
            class="krds-input"
            type="text"
            maxlength={200}
            aria-describedby="support-contact-hint"
          />
        </div>
        {/* KRDS draws the box on the label (krds-form-check); a bare checkbox is hidden by its stylesheet */}
        <div class="form-group krds-form-check">
          <input id="support-minor" type="checkbox" aria-describedby="support-minor-hint" />
          <label for="support-minor">{m('support.minorLabel')}</label>
          <p class="form-hint" id="support-minor-hint">
            {m('support.minorHint')}
          </p>
        </div>
        <p id="support-error" class="search-error" role="alert"></p>
        <button id="support-submit" type="submit" class="krds-btn medium primary">
          {m('support.submit')}
        </button>
      </form>
      <section id="support-done" hidden aria-labelledby="support-done-heading" tabindex={-1}>
        <h2 id="support-done-heading">{m('support.doneHeading')}</h2>
        <p>{m('support.doneIntro')}</p>
        <dl class="support-secret">
          <dt>{m('support.caseNumber')}</dt>
          <dd id="support-case-number"></dd>
          <dt>{m('support.pin')}</dt>
          <dd id="support-pin"></dd>
        </dl>
        <p>
          <a href="/support/status">{m('support.statusLink')}</a>
        </p>
      </section>
      <script src={siteAssets().scripts.support} defer></script>
    </>
  );
}

function CaseForm(props: { locale: Locale }) {
  const m = (k: Parameters<typeof t>[1]) => t(props.locale, k);
  return (
    <form method="post" action="/support/status" class="support-form">
      <div class="form-group">
        <label for="case-number">{m('support.caseNumber')}</label>
        <input
          id="case-number"
          name="case_number"
          class="krds-input"
          autocomplete="off"
          required
          maxlength={20}
        />
      </div>
      <div class="form-group">
        <label for="case-pin">{m('support.pin')}</label>
        <input
          id="case-pin"
          name="pin"
          class="krds-input"
          type="password"
          inputmode="numeric"
          autocomplete="off"
          required
          maxlength={8}
        />
      </div>
      <button type="submit" class="krds-btn medium primary">
        {m('support.statusSubmit')}
      </button>
    </form>
  );
}

type Status = NonNullable<Awaited<ReturnType<typeof caseStatus>>>;

function CaseStatusView(props: { locale: Locale; status: Status }) {
  const { locale, status } = props;
  const m = (k: Parameters<typeof t>[1], v?: Parameters<typeof t>[2]) => t(locale, k, v);
  const count = (state: string) =>
    status.hashes.filter((h) => h.state === state).reduce((n, h) => n + h.count, 0);
  return (
    <>
      <h1>{m('support.statusTitle')}</h1>
      <p>
        {m('support.caseNumber')}: <strong>{status.case_number}</strong>
      </p>
      {status.state === 'withdrawn' ? <p role="status">{m('support.withdrawnNotice')}</p> : null}
      <h2>{m('support.hashesReceived')}</h2>
      <ul>
        <li>{m('support.hashesActive', { count: count('active') + count('quarantined') })}</li>
        {count('inactive') > 0 ? <li>{m('support.hashesInactive', { count: count('inactive') })}</li> : null}
      </ul>
      <h2>{m('support.matches')}</h2>
      {status.matches.length === 0 ? (
        <p>{m('support.matchesNone')}</p>
      ) : (
        <ul>
          {status.matches.map((x) => (
            <li>{m(`support.feedback.${x.feedback}`, { count: x.count })}</li>
          ))}
        </ul>
      )}
      <h2>{m('support.takedowns')}</h2>
      {status.takedowns.length === 0 ? (
        <p>{m('support.takedownsNone')}</p>
      ) : (
        <ul class="support-takedowns">
          {status.takedowns.map((td) => (
            <li>
              <span>{td.site}</span> — <span data-state={td.state}>{m(`support.state.${td.state}`)}</span>
            </li>
          ))}
        </ul>
      )}
      {status.state === 'active' ? (
        <section aria-labelledby="withdraw-heading">
          <h2 id="withdraw-heading">{m('support.withdrawHeading')}</h2>
          <p>{m('support.withdrawIntro')}</p>
          <form method="post" action="/support/withdraw" class="support-form">
            <input type="hidden" name="case_number" value={status.case_number} />
            <div class="form-group">
              <label for="withdraw-pin">{m('support.withdrawPin')}</label>
              <input
                id="withdraw-pin"
                name="pin"
                class="krds-input"
                type="password"
                inputmode="numeric"
                autocomplete="off"
                required
                maxlength={8}
              />
            </div>
            <div class="form-group krds-form-check">
              <input id="withdraw-confirm" type="checkbox" name="confirm" value="yes" required />
              <label for="withdraw-confirm">{m('support.withdrawConfirm')}</label>
            </div>
            <button type="submit" class="krds-btn medium secondary">
              {m('support.withdrawSubmit')}
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}
