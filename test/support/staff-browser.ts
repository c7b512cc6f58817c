import type { Hono } from 'hono';
import { csrfTokenFor } from '../../src/staff/secrets.js';
import { AppBrowser } from './app-browser.js';

/**
 * A staff member's browser for in-process requests to the app (an `AppBrowser`): forms posted from `origin` as a
 * page of the site posts them, and the session's CSRF token computed as the staff forms carry it.
 * @param json ask for JSON answers on POST (error codes to assert on); otherwise the pages' HTML comes back
 */
export class StaffBrowser extends AppBrowser {
  constructor(
    app: Hono,
    origin: string,
    readonly secret: string,
    readonly options: { json?: boolean } = {},
  ) {
    super(app, origin);
  }

  get(path: string, json = false) {
    return this.request(path, json ? { headers: { accept: 'application/json' } } : {});
  }

  /** POSTs `body` (already URL-encoded) as a form of the site does (its Origin); redirects are not followed. */
  override postRaw(path: string, body: string, headers: Record<string, string> = {}) {
    return super.postRaw(path, body, {
      origin: this.origin,
      ...(this.options.json ? { accept: 'application/json' } : {}),
      ...headers,
    });
  }

  /** The per-session CSRF token, as the forms carry it ('' when signed out). */
  get csrf(): string {
    const token = this.cookies.get('cw_staff');
    return token ? csrfTokenFor(token, this.secret) : '';
  }

  /** POST with the session's CSRF token. */
  act(path: string, fields: Record<string, string> = {}) {
    return this.post(path, { csrf: this.csrf, ...fields });
  }
}
