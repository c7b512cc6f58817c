import type { Hono } from 'hono';

/**
 * A browser for in-process requests to the app: a cookie jar (a cookie cleared by Max-Age=0 or an empty value is
 * dropped) and forms posted as URL-encoded bodies. Redirects are not followed.
 * @param origin prefixed to every path ('' for the app's default, e.g. 'http://cheongwon.test')
 */
export class AppBrowser {
  cookies = new Map<string, string>();
  /** Every Set-Cookie line received, in order. */
  setCookies: string[] = [];
  constructor(
    readonly app: Hono,
    readonly origin = '',
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

  /** POSTs `body` (already URL-encoded) as a form. */
  postRaw(path: string, body: string, headers: Record<string, string> = {}) {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  }

  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.postRaw(path, new URLSearchParams(fields).toString(), headers);
  }
}
