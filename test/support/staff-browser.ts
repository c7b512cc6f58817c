import type { Hono } from 'hono';
import { csrfTokenFor } from '../../src/staff/secrets.js';

/**
 * A staff member's browser for in-process requests to the app: a cookie jar (cookies cleared by Max-Age=0 or an
 * empty value are dropped), forms posted from `origin` as a page of the site posts them, and the session's CSRF
 * token computed as the staff forms carry it.
 * @param json ask for JSON answers on POST (error codes to assert on); otherwise the pages' HTML comes back
 */
export class StaffBrowser {
  cookies = new Map<string, string>();
  /** Every Set-Cookie line received, in order. */
  setCookies: string[] = [];
  constructor(
    readonly app: Hono,
    readonly origin: string,
    readonly secret: string,
    readonly options: { json?: boolean } = {},
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await this.app.request(`${this.origin}${path}`, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      const value = rest.join('=');
      if (!name) continue;
      if (attrs.some((a) => /max-age=0/i.test(a)) || value === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    return res;
  }

  get(path: string, json = false) {
    return this.request(path, json ? { headers: { accept: 'application/json' } } : {});
  }

  /** POSTs `body` (already URL-encoded) as a form of the site does; redirects are not followed. */
  postRaw(path: string, body: string, headers: Record<string, string> = {}) {
    return this.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.origin,
        ...(this.options.json ? { accept: 'application/json' } : {}),
        ...headers,
      },
      body,
    });
  }

  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.postRaw(path, new URLSearchParams(fields).toString(), headers);
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
