/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import { unsubscribe } from '../../commands/unsubscribe.js';
import { DomainError } from '../../domain/errors.js';
import { DEFAULT_LOCALE, t } from '../../i18n/index.js';
import { type UnsubscribeTarget, verifyUnsubscribe } from '../../notifications/unsubscribe.js';
import { pageContext } from '../middleware/locale.js';
import type { Site } from '../site.js';
import { Layout } from '../views/layout.js';

/**
 * Unsubscribing from notification mail without signing in (the link in every mail and its List-Unsubscribe
 * header). GET shows a page with a button and changes nothing, so mail scanners that prefetch links unsubscribe
 * nobody; POST to the same URL unsubscribes — that is also the RFC 8058 one-click POST mail clients send
 * (`List-Unsubscribe=One-Click` in the body, which is not needed and not read). Both answer 400 `invalid_token`
 * for a link that does not verify. Pages and refusals are in the visitor's language (`c.var.locale`: Korean unless
 * they chose English); a mail client's one-click POST carries no cookie and gets Korean.
 */
export function registerNotificationRoutes(app: Hono, site: Site, options: { secret: string }): void {
  /**
   * The target of this request's link (`r`, `t`).
   * @throws DomainError('invalid_token') in the visitor's language when the link does not verify
   */
  const target = (c: Context): UnsubscribeTarget => {
    try {
      return verifyUnsubscribe(options.secret, c.req.query('r') ?? '', c.req.query('t') ?? '');
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'invalid_token') throw error;
      throw new DomainError('invalid_token', t(c.var.locale ?? DEFAULT_LOCALE, 'unsubscribe.invalidLink'));
    }
  };

  app.get('/notifications/unsubscribe', (c) => {
    const who = target(c);
    const page = pageContext(c);
    const m = (key: Parameters<typeof t>[1]) => t(page.locale, key);
    const [r, mac] = [c.req.query('r') ?? '', c.req.query('t') ?? ''];
    const action = `/notifications/unsubscribe?r=${encodeURIComponent(r)}&t=${encodeURIComponent(mac)}`;
    return c.html(
      <Layout
        title={m('unsubscribe.title')}
        categories={site.categories(page.locale)}
        locale={page.locale}
        url={page.url}
      >
        <h1>{m('unsubscribe.title')}</h1>
        <p>{m(who.kind === 'agreement' ? 'unsubscribe.explainAgreement' : 'unsubscribe.explainCreator')}</p>
        <form method="post" action={action}>
          <button type="submit" class="button">
            {m('unsubscribe.button')}
          </button>
        </form>
      </Layout>,
    );
  });

  app.post('/notifications/unsubscribe', async (c) => {
    const who = target(c);
    const found = await unsubscribe(site.db, who, site.now());
    if (!found) throw new DomainError('not_found', t(c.var.locale ?? DEFAULT_LOCALE, 'unsubscribe.notFound'));
    if ((c.req.header('accept') ?? '').includes('application/json'))
      return c.json({ status: 'unsubscribed' });
    const page = pageContext(c);
    const m = (key: Parameters<typeof t>[1]) => t(page.locale, key);
    return c.html(
      <Layout
        title={m('unsubscribe.doneTitle')}
        categories={site.categories(page.locale)}
        locale={page.locale}
        url={page.url}
      >
        <h1>{m('unsubscribe.doneTitle')}</h1>
        <p role="status">{m('unsubscribe.done')}</p>
      </Layout>,
    );
  });
}
