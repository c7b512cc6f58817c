/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Hono } from 'hono';
import { DomainError } from '../domain/errors.js';
import { unsubscribe, verifyUnsubscribe } from '../notifications/unsubscribe.js';
import { Layout } from './pages/layout.js';
import type { Site } from './site.js';

/**
 * Unsubscribing from notification mail without signing in (the link in every mail and its List-Unsubscribe
 * header). GET shows a page with a button and changes nothing, so mail scanners that prefetch links unsubscribe
 * nobody; POST to the same URL unsubscribes — that is also the RFC 8058 one-click POST mail clients send
 * (`List-Unsubscribe=One-Click` in the body, which is not needed and not read). Both answer 400 `invalid_token`
 * for a link that does not verify.
 */
export function registerNotificationRoutes(app: Hono, site: Site, options: { secret: string }): void {
  const target = (r: string | undefined, t: string | undefined) =>
    verifyUnsubscribe(options.secret, r ?? '', t ?? '');

  app.get('/notifications/unsubscribe', (c) => {
    const r = c.req.query('r');
    const t = c.req.query('t');
    const who = target(r, t);
    const action = `/notifications/unsubscribe?r=${encodeURIComponent(r ?? '')}&t=${encodeURIComponent(t ?? '')}`;
    return c.html(
      <Layout title="알림 수신 거부" categories={site.categories()}>
        <h1>알림 수신 거부</h1>
        <p>
          {who.kind === 'agreement'
            ? '아래 단추를 누르면 동의하신 청원에 관한 메일(답변 기준 도달, 답변 게시)을 더 보내지 않으며, 알림을 위해 보관하던 이름과 이메일 주소를 지웁니다. 동의는 그대로 집계됩니다.'
            : '아래 단추를 누르면 올리신 청원에 관한 알림 메일을 더 보내지 않습니다.'}
        </p>
        <form method="post" action={action}>
          <button type="submit" class="button">
            수신 거부
          </button>
        </form>
      </Layout>,
    );
  });

  app.post('/notifications/unsubscribe', async (c) => {
    const who = target(c.req.query('r'), c.req.query('t'));
    const found = await unsubscribe(site.db, who, site.now());
    if (!found) throw new DomainError('not_found', '이 링크로 찾을 수 있는 알림 구독이 없습니다.');
    if ((c.req.header('accept') ?? '').includes('application/json'))
      return c.json({ status: 'unsubscribed' });
    return c.html(
      <Layout title="수신 거부되었습니다" categories={site.categories()}>
        <h1>수신 거부되었습니다</h1>
        <p role="status">이 청원에 관한 알림 메일을 더 보내지 않습니다.</p>
      </Layout>,
    );
  });
}
