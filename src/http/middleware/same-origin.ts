import type { MiddlewareHandler } from 'hono';
import { DomainError } from '../../domain/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests that a browser sent on behalf of another site (cross-site request forgery).
 *
 * Browsers label every request they send: `Sec-Fetch-Site` (all current browsers) and `Origin` (every POST since
 * 2020). A page on another site cannot forge either. So a POST, PUT, PATCH or DELETE is refused when
 *  - `Sec-Fetch-Site` is present and is not `same-origin` (nor `none`, a user's own navigation), or
 *  - `Sec-Fetch-Site` is absent, `Origin` is present and is not one of `allowedOrigins` (nor the request's own
 *    origin) — including the opaque `null` origin of sandboxed frames and some redirects.
 * A request with neither header comes from a program, not a browser acting for a visitor, so it cannot carry a
 * forged visitor's cookie and is let through (API clients, the load generator, tests). This complements the
 * SameSite=Lax cookies, which old browsers and same-site subdomains do not fully cover. The rule follows the OWASP
 * CSRF cheat sheet ("verifying origin with standard headers" and "Fetch Metadata headers").
 *
 * @param allowedOrigins origins such as `https://cheongwon.example.kr` (scheme://host[:port], no path): the
 *   deployment's PUBLIC_URL, under which a proxy may serve the app
 * @throws DomainError('csrf_rejected') → 403
 */
export function sameOriginWrites(allowedOrigins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(allowedOrigins.map((o) => new URL(o).origin));
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const refused =
        site !== undefined
          ? site !== 'same-origin' && site !== 'none'
          : origin !== undefined && !allowed.has(origin) && origin !== new URL(c.req.url).origin;
      if (refused) {
        throw new DomainError(
          'csrf_rejected',
          '다른 사이트에서 보낸 요청은 받지 않습니다. 이 사이트에서 다시 시도해 주십시오.',
        );
      }
    }
    await next();
  };
}
