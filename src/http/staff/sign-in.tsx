/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from 'hono/cookie';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { signInWithOidc } from '../../commands/sign-in-with-oidc.js';
import { signInWithPassword } from '../../commands/sign-in-with-password.js';
import { signOutStaff } from '../../commands/sign-out-staff.js';
import { DomainError } from '../../domain/errors.js';
import { STAFF_SESSION_HOURS } from '../../domain/staff.js';
import type { PendingLogin } from '../../signing/oidc.js';
import { clientKey } from '../../signing/rate-limits.js';
import { clientAddress } from '../middleware/client-address.js';
import { formFields } from '../middleware/forms.js';
import type { Site } from '../site.js';
import { STAFF_COOKIE, type StaffContext, type StaffGuard, staffPage, wantsJson } from './guard.js';
import { ANY_STAFF, STAFF_ROUTE_POLICY } from './policy.js';
import { LoginPage, StaffHome } from './views/sign-in.js';

const STAFF_LOGIN_COOKIE = 'cw_staff_login';

/**
 * Sign-in and sign-out: the public login page and form (password + TOTP, with failed attempts limited per email and
 * per client address), OpenID Connect sign-in when providers are configured, logout, and the staff home page.
 */
export function registerSignInRoutes(app: Hono, site: Site, staff: StaffContext, guard: StaffGuard): void {
  // failed sign-ins within 15 minutes, per email and per client address; beyond them 429 until the window passes
  // (in this process's memory, like the signing path's limits)
  const failedSignIns = {
    email: new RateLimiterMemory({ keyPrefix: 'staff-sign-in-email', points: 10, duration: 15 * 60 }),
    // an office behind one address: more room, still a bound on guessing across accounts
    address: new RateLimiterMemory({ keyPrefix: 'staff-sign-in-address', points: 50, duration: 15 * 60 }),
  };
  const startSession = (c: Context, opened: { token: string }) =>
    setCookie(c, STAFF_COOKIE, opened.token, {
      httpOnly: true,
      secure: staff.secureCookies,
      sameSite: 'Strict',
      path: '/staff',
      maxAge: STAFF_SESSION_HOURS * 3600,
    });
  STAFF_ROUTE_POLICY.set('GET /staff/login', 'public');
  app.get('/staff/login', (c) =>
    c.html(<LoginPage providers={(staff.oidc ?? []).map((p) => ({ id: p.id, label: p.label }))} />),
  );
  STAFF_ROUTE_POLICY.set('POST /staff/login', 'public');
  app.post('/staff/login', async (c) => {
    guard.checkOrigin(c);
    const fields = await formFields(c);
    const keys = [
      [failedSignIns.email, (fields.email ?? '').trim().toLowerCase()],
      [failedSignIns.address, clientKey(clientAddress(c))],
    ] as const;
    for (const [limiter, key] of keys) {
      const used = await limiter.get(key);
      if (used && used.remainingPoints <= 0) {
        const retryAfterSeconds = Math.max(1, Math.ceil(used.msBeforeNext / 1000));
        throw new DomainError(
          'rate_limited',
          `로그인 시도가 너무 많습니다. ${retryAfterSeconds}초 뒤에 다시 시도하십시오.`,
          {
            retryAfterSeconds,
          },
        );
      }
    }
    let opened: Awaited<ReturnType<typeof signInWithPassword>>;
    try {
      opened = await signInWithPassword(site.db, {
        email: fields.email ?? '',
        password: fields.password ?? '',
        code: fields.code ?? '',
        secret: staff.secret,
        now: site.now(),
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid_credentials') {
        for (const [limiter, key] of keys) await limiter.penalty(key, 1);
      }
      throw error;
    }
    await failedSignIns.email.delete(keys[0][1]);
    startSession(c, opened);
    return wantsJson(c) ? c.json({ ok: true }) : c.redirect('/staff', 303);
  });

  if (staff.oidc && staff.oidc.length > 0) {
    const provider = (c: Context) => {
      const found = staff.oidc?.find((p) => p.id === c.req.param('provider'));
      if (!found) throw new DomainError('not_found', '그런 로그인 방법이 없습니다.');
      return found;
    };
    STAFF_ROUTE_POLICY.set('GET /staff/auth/:provider/login', 'public');
    app.get('/staff/auth/:provider/login', async (c) => {
      const { url, pending } = await provider(c).client.startLogin();
      await setSignedCookie(c, STAFF_LOGIN_COOKIE, JSON.stringify(pending), staff.secret, {
        httpOnly: true,
        secure: staff.secureCookies,
        // Lax: the provider's redirect back to us is a cross-site navigation
        sameSite: 'Lax',
        path: '/staff/auth',
        maxAge: 600,
      });
      return c.redirect(url, 302);
    });
    STAFF_ROUTE_POLICY.set('GET /staff/auth/:provider/callback', 'public');
    app.get('/staff/auth/:provider/callback', async (c) => {
      const p = provider(c);
      const raw = await getSignedCookie(c, staff.secret, STAFF_LOGIN_COOKIE);
      deleteCookie(c, STAFF_LOGIN_COOKIE, { path: '/staff/auth' });
      let pending: PendingLogin;
      try {
        pending = JSON.parse(raw || 'null');
      } catch {
        pending = null as unknown as PendingLogin;
      }
      if (!pending) throw new DomainError('identity_error', '로그인이 만료되었습니다. 다시 시도하십시오.');
      const identity = await p.client.finishLogin(c.req.url, pending);
      startSession(c, await signInWithOidc(site.db, { identity, matchEmail: p.matchEmail, now: site.now() }));
      return c.redirect('/staff', 303);
    });
  }

  guard.route('POST', '/staff/logout', ANY_STAFF, async (r) => {
    const token = getCookie(r.c, STAFF_COOKIE);
    if (token) await signOutStaff(site.db, token);
    deleteCookie(r.c, STAFF_COOKIE, { path: '/staff' });
    return r.c.redirect('/staff/login', 303);
  });

  guard.route('GET', '/staff', ANY_STAFF, (r) => staffPage(r, '직원 화면', <StaffHome who={r.who} />));
}
