/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { DomainError } from '../../domain/errors.js';
import { RECORD_NUMBER } from '../../domain/record-numbers.js';
import type { Actor, StaffMember, StaffRole } from '../../domain/staff.js';
import type { OidcClient } from '../../signing/oidc.js';
import { csrfTokenFor } from '../../staff/secrets.js';
import { staffForSession } from '../../staff/sessions.js';
import { formFields } from '../middleware/forms.js';
import type { Site } from '../site.js';
import { ADMINISTRATION, MODERATION, RESPONSES, STAFF_ROUTE_POLICY } from './policy.js';
import { StaffLayout, type StaffMenu } from './views/layout.js';

/** What the staff pages need besides the site. */
export interface StaffContext {
  /** The deployment secret (CHEONGWON_SECRET): decrypts TOTP secrets, keys CSRF tokens. */
  secret: string;
  /** Origin every staff POST must come from (`PUBLIC_URL`'s origin), e.g. 'https://cheongwon.example'. */
  publicOrigin: string;
  /** Secure cookies (when the public URL is https). */
  secureCookies: boolean;
  /**
   * OpenID Connect providers staff may sign in with (redirect URI `<PUBLIC_URL>/staff/auth/<id>/callback`);
   * `matchEmail`: link a first sign-in to the staff account with the provider's verified email.
   */
  oidc?: Array<{ id: string; label: string; client: OidcClient; matchEmail: boolean }>;
}

export const STAFF_COOKIE = 'cw_staff';

/** A staff route's handler: the request with the signed-in staff member, their actor and the checked form. */
export type StaffHandler = (r: StaffRequest) => Response | Promise<Response>;

/**
 * Mounts one guarded staff route (401 without a session, 403 for other roles, Origin and CSRF token checked on
 * POST) and records its policy in `STAFF_ROUTE_POLICY`. Returned by `registerStaffRoutes` so other areas (official
 * responses) add staff pages under the same guard.
 */
export type StaffRouteRegistrar = (
  method: 'GET' | 'POST',
  path: string,
  roles: readonly StaffRole[],
  handler: StaffHandler,
) => void;

/** What a guarded staff handler gets. */
export interface StaffRequest {
  c: Context;
  who: StaffMember;
  actor: Actor & { staffId: string };
  /** Form fields of a POST ({} for GET). */
  fields: Record<string, string>;
  csrf: string;
}

/** The staff guard of one app: the guarded-route registrar and the Origin check the public sign-in POST uses too. */
export interface StaffGuard {
  route: StaffRouteRegistrar;
  /** @throws DomainError('csrf_rejected') when the request's origin is not the site's */
  checkOrigin(c: Context): void;
}

/**
 * The guard of every staff route. It checks, in order: a live session (401 `unauthenticated`), a role the route
 * allows (403 `forbidden`), and for POST the Origin header and the per-session CSRF token (403 `csrf_rejected`) —
 * before the handler reads or changes anything.
 */
export function createStaffGuard(app: Hono, site: Site, staff: StaffContext): StaffGuard {
  async function session(c: Context): Promise<{ who: StaffMember; token: string } | null> {
    const token = getCookie(c, STAFF_COOKIE);
    if (!token) return null;
    const who = await staffForSession(site.db, token, site.now());
    return who ? { who, token } : null;
  }

  // The page's Origin, or — when the browser withholds it (Chromium sends `Origin: null` on form POSTs from pages
  // served with `Referrer-Policy: no-referrer`) — the browser-set, unforgeable `Sec-Fetch-Site: same-origin`
  // (OWASP CSRF cheat sheet, "Fetch Metadata headers"). No header at all is refused.
  function checkOrigin(c: Context): void {
    const origin = c.req.header('origin');
    const withheld = origin === undefined || origin === 'null';
    if (origin !== staff.publicOrigin && !(withheld && c.req.header('sec-fetch-site') === 'same-origin')) {
      throw new DomainError(
        'csrf_rejected',
        '요청 출처를 확인할 수 없습니다. 페이지를 새로 고친 뒤 다시 시도하십시오.',
      );
    }
  }

  function route(
    method: 'GET' | 'POST',
    path: string,
    policy: readonly StaffRole[],
    handler: StaffHandler,
  ): void {
    STAFF_ROUTE_POLICY.set(`${method} ${path}`, policy);
    app.on(method, path, async (c) => {
      const s = await session(c);
      if (!s) throw new DomainError('unauthenticated', '직원 로그인이 필요합니다 (/staff/login).');
      if (!policy.some((role) => s.who.roles.includes(role))) {
        throw new DomainError('forbidden', '이 일을 할 권한이 없습니다.', { required: [...policy] });
      }
      const csrf = csrfTokenFor(s.token, staff.secret);
      let fields: Record<string, string> = {};
      if (method === 'POST') {
        checkOrigin(c);
        fields = await formFields(c);
        if (Object.values(fields).some((v) => v.includes('\u0000'))) {
          throw new DomainError('invalid_body', '보낸 내용에 쓸 수 없는 문자(NUL)가 있습니다.');
        }
        const given = Buffer.from(fields.csrf ?? '');
        const expected = Buffer.from(csrf);
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          throw new DomainError(
            'csrf_rejected',
            '양식이 만료되었습니다. 페이지를 새로 고친 뒤 다시 시도하십시오.',
          );
        }
      }
      return handler({ c, who: s.who, actor: { staffId: s.who.id, name: s.who.email }, fields, csrf });
    });
  }

  return { route, checkOrigin };
}

/** Whether the client asked for JSON (`Accept: application/json`) rather than a page. */
export const wantsJson = (c: Context) => (c.req.header('accept') ?? '').includes('application/json');

/** A staff page (the staff layout with its menu and logout form) for a guarded request, with `status` (200). */
export const staffPage = (
  r: StaffRequest,
  title: string,
  children: Child,
  status: 200 | 404 | 409 | 422 = 200,
) =>
  r.c.html(
    <StaffLayout title={title} who={r.who} menu={staffMenu(r.who)} csrf={r.csrf}>
      {children}
    </StaffLayout>,
    status,
  );

/** The menu entries a staff member's roles allow (the same role groups the routes are guarded by). */
function staffMenu(who: StaffMember): StaffMenu {
  const has = (roles: readonly StaffRole[]) => roles.some((role) => who.roles.includes(role));
  return { moderation: has(MODERATION), responses: has(RESPONSES), administration: has(ADMINISTRATION) };
}

/** After a change: `{ ok: true }` for JSON clients, else a 303 redirect to `to`. */
export const done = (r: StaffRequest, to: string) =>
  wantsJson(r.c) ? r.c.json({ ok: true }) : r.c.redirect(to, 303);

/**
 * The `:id` route parameter as a petition number.
 * @throws DomainError('invalid_parameter') when it is not a record number
 */
export const petitionIdParam = (c: Context) => {
  const id = c.req.param('id') ?? '';
  if (!RECORD_NUMBER.test(id)) throw new DomainError('invalid_parameter', '청원 번호는 1 이상의 정수입니다.');
  return id;
};
