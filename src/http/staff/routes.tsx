/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from 'hono/cookie';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { PersonalDataFlagsTable, RedactedPassage, StaffRole } from '../../db/schema.js';
import { DomainError } from '../../domain/errors.js';
import { SETTING_KEYS } from '../../domain/policy-profiles.js';
import { isRecordNumber, RECORD_NUMBER } from '../../domain/record-numbers.js';
import {
  currentPersonalDataFlags,
  hideInPart,
  hidePetition,
  markDuplicate,
  type PassageSelection,
  publishPetition,
  rejectPetition,
  unhideInPart,
  unhidePetition,
} from '../../moderation/decisions.js';
import {
  checkOut,
  currentCheckout,
  QUEUE_BUCKET_LABELS,
  releaseCheckout,
  reviewQueue,
} from '../../moderation/queue.js';
import {
  changeModerationSettings,
  changePolicySetting,
  listRejectReasons,
  loadModerationSettings,
  saveRejectReason,
} from '../../moderation/settings.js';
import { similarPetitions } from '../../moderation/similar.js';
import { formatDate } from '../../presenters/format.js';
import { listAudit } from '../../repositories/audit.js';
import { loadProfileOverrides } from '../../repositories/profile-settings.js';
import { fanoutProgress, notificationTotals } from '../../repositories/responses.js';
import type { OidcClient, PendingLogin } from '../../signing/oidc.js';
import { clientKey } from '../../signing/rate-limits.js';
import {
  type Actor,
  addStaff,
  closeSession,
  disableStaff,
  listStaff,
  STAFF_ROLE_LABELS,
  STAFF_ROLES,
  STAFF_SESSION_HOURS,
  type StaffMember,
  setStaffRoles,
  signInWithPassword,
  staffForSession,
} from '../../staff/accounts.js';
import { signInWithOidc } from '../../staff/oidc-sign-in.js';
import { csrfTokenFor } from '../../staff/secrets.js';
import { clientAddress } from '../middleware/client-address.js';
import { formFields } from '../middleware/forms.js';
import type { Site } from '../site.js';
import { STATE_LABELS } from '../views/components.js';

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
const STAFF_LOGIN_COOKIE = 'cw_staff_login';

/** Who may use a staff route: 'public' (sign-in) or the roles allowed (any one of them suffices). */
export type StaffRoutePolicy = 'public' | readonly StaffRole[];

/** Role groups of staff routes: administrators may do everything moderators and responders do. */
export const MODERATION: readonly StaffRole[] = ['moderator', 'administrator'];
export const ADMINISTRATION: readonly StaffRole[] = ['administrator'];
export const RESPONSES: readonly StaffRole[] = ['responder', 'administrator'];
export const ANY_STAFF: readonly StaffRole[] = STAFF_ROLES;

/**
 * The policy of every staff route, keyed `METHOD path` exactly as registered with the router. The authorisation
 * test walks the router's routes under /staff and fails for any route missing here.
 */
export const STAFF_ROUTE_POLICY = new Map<string, StaffRoutePolicy>();

const PETITION_ID = RECORD_NUMBER;
const shortDateTime = (d: Date | null, zone = 'Asia/Seoul') =>
  d
    ? `${formatDate(d, zone)} ${d.toLocaleTimeString('ko-KR', { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false })}`
    : '';

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

/**
 * Mounts the staff web under /staff: sign-in, the moderation queue, the review page with decisions, the audit log,
 * staff management and settings, and the list of petitions awaiting an official response. Every route checks, in
 * order: a live session (401 `unauthenticated`), a role the route allows (403 `forbidden`), and for POST the Origin
 * header and the per-session CSRF token (403 `csrf_rejected`) — before it reads or changes anything.
 * @returns the guard, for other areas' staff routes
 */
export function registerStaffRoutes(app: Hono, site: Site, staff: StaffContext): StaffRouteRegistrar {
  // failed sign-ins within 15 minutes, per email and per client address; beyond them 429 until the window passes
  // (in this process's memory, like the signing path's limits)
  const failedSignIns = {
    email: new RateLimiterMemory({ keyPrefix: 'staff-sign-in-email', points: 10, duration: 15 * 60 }),
    // an office behind one address: more room, still a bound on guessing across accounts
    address: new RateLimiterMemory({ keyPrefix: 'staff-sign-in-address', points: 50, duration: 15 * 60 }),
  };
  const rules = {
    settingsFor: (p: string) => site.profile(p).settings,
    timeZoneFor: (p: string) => site.profile(p).timeZone,
  };

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

  const page = (r: StaffRequest, title: string, children: Child) => staffPage(r, title, children);
  const petitionId = (c: Context) => {
    const id = c.req.param('id') ?? '';
    if (!PETITION_ID.test(id)) throw new DomainError('invalid_parameter', '청원 번호는 1 이상의 정수입니다.');
    return id;
  };
  const done = (r: StaffRequest, to: string) =>
    wantsJson(r.c) ? r.c.json({ ok: true }) : r.c.redirect(to, 303);

  // --- sign-in (public) ------------------------------------------------------------------------------------------
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
    checkOrigin(c);
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

  route('POST', '/staff/logout', ANY_STAFF, async (r) => {
    const token = getCookie(r.c, STAFF_COOKIE);
    if (token) await closeSession(site.db, token);
    deleteCookie(r.c, STAFF_COOKIE, { path: '/staff' });
    return r.c.redirect('/staff/login', 303);
  });

  route('GET', '/staff', ANY_STAFF, (r) =>
    page(
      r,
      '직원 화면',
      <>
        <h1>직원 화면</h1>
        <p>
          {r.who.displayName} ({r.who.email}) ·{' '}
          {r.who.roles.map((role) => STAFF_ROLE_LABELS[role]).join(', ')}
        </p>
      </>,
    ),
  );

  // --- the queue and decisions -------------------------------------------------------------------------------------
  route('GET', '/staff/queue', MODERATION, async (r) => {
    const now = site.now();
    const entries = await reviewQueue(site.db, { now });
    const settings = await loadModerationSettings(site.db, site.deploymentProfile);
    return page(
      r,
      '검토 대기열',
      <>
        <h1>검토 대기열</h1>
        <p>
          기다린 시간이 긴 순서입니다. 검토 목표 {settings.reviewTargetDays}일 (목표 {settings.reviewNearDays}
          일 전부터 ‘임박’).
        </p>
        {(['over', 'near', 'within'] as const).map((bucket) => {
          const rows = entries.filter((e) => e.bucket === bucket);
          return (
            <section aria-labelledby={`bucket-${bucket}`}>
              <h2 id={`bucket-${bucket}`}>
                {QUEUE_BUCKET_LABELS[bucket]} ({rows.length})
              </h2>
              <ol class={`queue queue-${bucket}`}>
                {rows.map((e) => (
                  <li>
                    <a href={`/staff/petitions/${e.id}`}>
                      {e.id}. {e.title}
                    </a>{' '}
                    · {Math.floor(e.waitedMs / 86_400_000)}일째 (검토 시작 {shortDateTime(e.reviewStartedAt)})
                    {e.checkedOutBy ? ` · ${e.checkedOutBy} 검토 중` : ''}
                  </li>
                ))}
              </ol>
            </section>
          );
        })}
      </>,
    );
  });

  route('GET', '/staff/petitions/:id', MODERATION, async (r) => {
    const id = petitionId(r.c);
    const p = await site.db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!p) throw new DomainError('petition_not_found', `${id}번 청원을 찾을 수 없습니다.`);
    const now = site.now();
    const [flags, redactions, similar, checkout, reasons, decisions] = await Promise.all([
      currentPersonalDataFlags(site.db, p),
      site.db
        .selectFrom('petition_redactions')
        .select(['id', 'field', 'passages', 'created_at', 'restored_at'])
        .where('petition_id', '=', id)
        .orderBy('id')
        .execute(),
      similarPetitions(
        site.db,
        { title: p.title, body: p.body, excludeId: id, includeUnpublished: true },
        10,
      ),
      currentCheckout(site.db, id, now),
      listRejectReasons(site.db, { activeOnly: true }),
      site.db
        .selectFrom('moderation_decisions as d')
        .innerJoin('staff_accounts as s', 's.id', 'd.staff_id')
        .select(['d.decision', 'd.public_reason', 'd.note', 'd.decided_at', 's.email'])
        .where('d.petition_id', '=', id)
        .orderBy('d.id')
        .execute(),
    ]);
    const mine = checkout?.staff_id === r.who.id;
    const zone = site.profile(p.profile).timeZone;
    const form = (action: string, label: string, children?: Child) => (
      <form method="post" action={`/staff/petitions/${id}/${action}`} class="staff-action">
        <input type="hidden" name="csrf" value={r.csrf} />
        {children}
        <button type="submit" class="button">
          {label}
        </button>
      </form>
    );
    return page(
      r,
      `검토: ${p.title}`,
      <>
        <p>
          <a href="/staff/queue">← 검토 대기열</a>
        </p>
        <h1>
          {p.id}. <Highlighted text={p.title} flags={flags.filter((f) => f.field === 'title')} />
        </h1>
        <p>
          {STATE_LABELS[p.state] ?? p.state}
          {p.category ? ` · ${site.profile(p.profile).categoryName(p.category)}` : ''}
          {p.review_started_at ? ` · 검토 시작 ${shortDateTime(p.review_started_at, zone)}` : ''}
          {p.hidden_in_part ? ' · 일부 숨김' : ''}
          {p.duplicate_of ? ` · ${p.duplicate_of}번 청원과 중복` : ''}
        </p>
        <p class="notice" role="status">
          {checkout
            ? mine
              ? `내가 검토 중입니다 (${shortDateTime(checkout.expires_at, zone)}까지).`
              : `${checkout.email} 님이 검토 중입니다 (${shortDateTime(checkout.expires_at, zone)}까지).`
            : '아무도 검토하고 있지 않습니다. 결정하려면 먼저 검토를 시작하십시오.'}
        </p>
        {mine ? form('release', '검토 내려놓기') : form('checkout', '검토 시작 (체크아웃)')}
        <section aria-labelledby="text-heading">
          <h2 id="text-heading">청원 내용</h2>
          <div class="petition-body staff-text">
            <Highlighted text={p.body ?? ''} flags={flags.filter((f) => f.field === 'body')} />
          </div>
        </section>
        <section aria-labelledby="flags-heading">
          <h2 id="flags-heading">개인정보로 보이는 부분 ({flags.length})</h2>
          <ul>
            {flags.map((f) => (
              <li>
                {f.field === 'title' ? '제목' : '본문'} · {f.kind} (
                {f.confidence === 'high' ? '확실' : '확인 필요'}): “{f.matched_text}” → 제안: “{f.mask}” ·{' '}
                {f.resolution === 'masked'
                  ? '가림'
                  : f.resolution === 'overridden'
                    ? `예외 처리: ${f.resolution_reason ?? ''}`
                    : '처리 안 됨'}
              </li>
            ))}
          </ul>
        </section>
        {redactions.length > 0 ? (
          <section aria-labelledby="hidden-heading">
            <h2 id="hidden-heading">숨긴 원문 (직원만 볼 수 있음)</h2>
            <ul>
              {redactions.flatMap((red) =>
                (red.passages as RedactedPassage[]).map((ps) => (
                  <li>
                    {red.field === 'title' ? '제목' : '본문'} · {ps.label}: <del>{ps.text}</del>
                    {red.restored_at ? ' (되돌림)' : ''}
                  </li>
                )),
              )}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="similar-heading">
          <h2 id="similar-heading">비슷한 청원</h2>
          {similar.length === 0 ? <p class="empty">비슷한 청원이 없습니다.</p> : null}
          <ol class="similar">
            {similar.map((s) => (
              <li>
                <a href={`/petitions/${s.id}`}>
                  {s.id}. {s.title}
                </a>{' '}
                · {STATE_LABELS[s.state] ?? s.state} · 유사도 {s.score.toFixed(2)}
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="decide-heading">
          <h2 id="decide-heading">결정</h2>
          {form(
            'publish',
            '공개',
            <label>
              처리하지 않은 개인정보를 그대로 공개할 이유 (예외, 기록됨){' '}
              <input name="override_reason" maxlength={500} />
            </label>,
          )}
          {form(
            'reject',
            '공개 거부',
            <>
              <label>
                사유{' '}
                <select name="reason_code">
                  {reasons.map((reason) => (
                    <option value={reason.code}>{reason.label}</option>
                  ))}
                </select>
              </label>
              <label>
                공개 문구 (비우면 목록의 문구) <input name="public_reason" maxlength={1000} />
              </label>
              <label>
                내부 메모 <input name="reason" maxlength={1000} />
              </label>
            </>,
          )}
          {form(
            'duplicate',
            '중복 표시',
            <label>
              원래 청원 번호 <input name="of" inputmode="numeric" pattern="[0-9]+" required />
            </label>,
          )}
          {form(
            'hide-in-part',
            '일부 숨김',
            <>
              <label>
                어디에서{' '}
                <select name="field">
                  <option value="body">본문</option>
                  <option value="title">제목</option>
                </select>
              </label>
              <label>
                숨길 문구 (한 줄에 하나, 나오는 곳 모두)
                <textarea name="passages" rows={3} maxlength={4000} />
              </label>
              <label>
                표시할 이유 <input name="label" value="개인정보" maxlength={40} />
              </label>
              {flags
                .filter((f) => f.resolution === null)
                .map((f) => (
                  <label>
                    <input type="checkbox" name={`flag_${f.id}`} value="on" /> “{f.matched_text}” → “{f.mask}”
                  </label>
                ))}
              <label>
                내부 메모 <input name="reason" maxlength={1000} />
              </label>
            </>,
          )}
          {p.hidden_in_part ? form('unhide-in-part', '일부 숨김 되돌리기', <ReasonField />) : null}
          {p.state === 'hidden'
            ? form('unhide', '숨김 해제', <ReasonField />)
            : form('hide', '전체 숨김', <ReasonField />)}
        </section>
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">결정 기록</h2>
          <ol>
            {decisions.map((d) => (
              <li>
                {shortDateTime(d.decided_at, zone)} · {d.email} · {d.decision}
                {d.public_reason ? ` · ${d.public_reason}` : ''}
                {d.note ? ` · 메모: ${d.note}` : ''}
              </li>
            ))}
          </ol>
        </section>
      </>,
    );
  });

  route('POST', '/staff/petitions/:id/checkout', MODERATION, async (r) => {
    const id = petitionId(r.c);
    await checkOut(site.db, { petitionId: id, staffId: r.who.id, now: site.now() });
    return done(r, `/staff/petitions/${id}`);
  });
  route('POST', '/staff/petitions/:id/release', MODERATION, async (r) => {
    const id = petitionId(r.c);
    await releaseCheckout(site.db, { petitionId: id, staffId: r.who.id });
    return done(r, `/staff/petitions/${id}`);
  });

  const decision = (
    path: string,
    run: (
      r: StaffRequest,
      ctx: { petitionId: string; actor: StaffRequest['actor']; now: Date; reason?: string },
    ) => Promise<unknown>,
  ) =>
    route('POST', `/staff/petitions/:id/${path}`, MODERATION, async (r) => {
      const id = petitionId(r.c);
      const reason = r.fields.reason?.trim();
      await run(r, { petitionId: id, actor: r.actor, now: site.now(), ...(reason ? { reason } : {}) });
      return done(r, `/staff/petitions/${id}`);
    });
  decision('publish', (r, ctx) =>
    publishPetition(site.db, { ...ctx, rules, overridePersonalData: r.fields.override_reason }),
  );
  decision('reject', (r, ctx) =>
    rejectPetition(site.db, {
      ...ctx,
      reasonCode: r.fields.reason_code ?? '',
      publicReason: r.fields.public_reason,
    }),
  );
  decision('duplicate', (r, ctx) => markDuplicate(site.db, { ...ctx, of: (r.fields.of ?? '').trim() }));
  decision('hide', (_r, ctx) => hidePetition(site.db, ctx));
  decision('unhide', (_r, ctx) => unhidePetition(site.db, ctx));
  decision('unhide-in-part', (_r, ctx) => unhideInPart(site.db, ctx));
  decision('hide-in-part', (r, ctx) => {
    const field = r.fields.field === 'title' ? 'title' : 'body';
    const passages: PassageSelection[] = (r.fields.passages ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .map((text) => ({ field, text }));
    const flagIds = Object.keys(r.fields)
      .filter((k) => k.startsWith('flag_') && isRecordNumber(k.slice(5)) && r.fields[k] === 'on')
      .map((k) => k.slice(5));
    return hideInPart(site.db, { ...ctx, passages, flagIds, label: r.fields.label ?? '' });
  });

  // --- official responses (the list; answering is the responses service) -------------------------------------------
  route('GET', '/staff/responses', RESPONSES, async (r) => {
    const rows = await site.db
      .selectFrom('petitions')
      .select(['id', 'title', 'profile', 'response_threshold_reached_at', 'response_due_at'])
      .where('response_state', '=', 'awaiting')
      .orderBy('response_due_at', (ob) => ob.asc().nullsLast())
      .orderBy('id')
      .limit(200)
      .execute();
    const [fanouts, totals] = await Promise.all([fanoutProgress(site.db, 20), notificationTotals(site.db)]);
    return page(
      r,
      '답변 대기 청원',
      <>
        <h1>답변 대기 청원</h1>
        <p>
          <a href="/staff/responses/new">새 답변 쓰기</a> ·{' '}
          <a href="/staff/responses/drafts">쓴 답변과 초안</a>
        </p>
        {rows.length === 0 ? <p class="empty">답변을 기다리는 청원이 없습니다.</p> : null}
        <ol>
          {rows.map((p) => (
            <li>
              <a href={`/petitions/${p.id}`}>
                {p.id}. {p.title}
              </a>{' '}
              · 기준 도달 {shortDateTime(p.response_threshold_reached_at, site.profile(p.profile).timeZone)} ·
              답변 기한{' '}
              {p.response_due_at ? formatDate(p.response_due_at, site.profile(p.profile).timeZone) : '없음'} ·{' '}
              <a href={`/staff/responses/new?petitions=${p.id}`}>이 청원에 답변하기</a>
            </li>
          ))}
        </ol>
        <h2>알림 발송 진행</h2>
        <p>
          발송 대기열:{' '}
          {Object.entries(totals.outbox)
            .map(([state, n]) => `${state} ${n}`)
            .join(', ') || '없음'}{' '}
          · 개별 메일:{' '}
          {Object.entries(totals.deliveries)
            .map(([state, n]) => `${state} ${n}`)
            .join(', ') || '없음'}
        </p>
        {fanouts.length === 0 ? (
          <p class="empty">보낸 알림이 없습니다.</p>
        ) : (
          <table class="audit">
            <caption class="sr-only">청원별 동의자 알림 발송 진행 (최근 20건)</caption>
            <thead>
              <tr>
                <th scope="col">청원</th>
                <th scope="col">종류</th>
                <th scope="col">대상(추정)</th>
                <th scope="col">보냄</th>
                <th scope="col">대기</th>
                <th scope="col">실패</th>
                <th scope="col">제외</th>
              </tr>
            </thead>
            <tbody>
              {fanouts.map((f) => (
                <tr>
                  <td>
                    <a href={`/petitions/${f.petitionId}`}>{f.petitionId}</a>
                  </td>
                  <td>{f.kind}</td>
                  <td>
                    {f.total}
                    {f.expanded ? '' : ' (펼치는 중)'}
                  </td>
                  <td>{f.sent}</td>
                  <td>{f.pending}</td>
                  <td>{f.failed}</td>
                  <td>{f.skipped}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>,
    );
  });

  // --- administration ----------------------------------------------------------------------------------------------
  route('GET', '/staff/audit', ADMINISTRATION, async (r) => {
    const entries = await listAudit(site.db, { limit: 200 });
    return page(
      r,
      '감사 기록',
      <>
        <h1>감사 기록</h1>
        <table class="audit">
          <thead>
            <tr>
              <th>언제</th>
              <th>누가</th>
              <th>무엇을</th>
              <th>대상</th>
              <th>왜</th>
              <th>전 → 후</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>{e.at.toISOString()}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>
                  {e.subject_type} {e.subject_id ?? ''}
                </td>
                <td>{e.reason ?? ''}</td>
                <td>
                  <code>{JSON.stringify(e.before)}</code> → <code>{JSON.stringify(e.after)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>,
    );
  });

  route('GET', '/staff/accounts', ADMINISTRATION, async (r) => {
    const accounts = await listStaff(site.db);
    return page(
      r,
      '직원 관리',
      <>
        <h1>직원 관리</h1>
        <table>
          <tbody>
            {accounts.map((a) => (
              <tr>
                <td>{a.email}</td>
                <td>{a.display_name}</td>
                <td>
                  {a.disabled_at ? '사용 중지' : a.roles.map((role) => STAFF_ROLE_LABELS[role]).join(', ')}
                </td>
                <td>
                  {a.disabled_at ? null : (
                    <>
                      <form method="post" action={`/staff/accounts/${a.id}/roles`}>
                        <input type="hidden" name="csrf" value={r.csrf} />
                        <input name="roles" value={a.roles.join(',')} aria-label="역할" />
                        <button type="submit">역할 바꾸기</button>
                      </form>
                      <form method="post" action={`/staff/accounts/${a.id}/disable`}>
                        <input type="hidden" name="csrf" value={r.csrf} />
                        <button type="submit">사용 중지</button>
                      </form>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>직원 추가</h2>
        <form method="post" action="/staff/accounts">
          <input type="hidden" name="csrf" value={r.csrf} />
          <label>
            이메일 <input name="email" type="email" required />
          </label>
          <label>
            이름 <input name="display_name" maxlength={100} />
          </label>
          <label>
            역할 (쉼표로 구분: {STAFF_ROLES.join(', ')}) <input name="roles" value="moderator" />
          </label>
          <button type="submit" class="button">
            추가
          </button>
        </form>
      </>,
    );
  });
  route('POST', '/staff/accounts', ADMINISTRATION, async (r) => {
    const created = await addStaff(site.db, {
      email: r.fields.email ?? '',
      displayName: r.fields.display_name ?? '',
      roles: (r.fields.roles ?? '').split(','),
      secret: staff.secret,
      actor: r.actor,
      now: site.now(),
    });
    if (wantsJson(r.c)) return r.c.json({ id: Number(created.id) }, 201);
    return page(
      r,
      '직원을 추가했습니다',
      <>
        <h1>직원을 추가했습니다</h1>
        <p class="notice">아래 정보는 지금 한 번만 보입니다. 본인에게 안전하게 전하십시오.</p>
        <dl>
          <dt>이메일</dt>
          <dd>{created.email}</dd>
          <dt>처음 비밀번호</dt>
          <dd>
            <code>{created.initialPassword}</code>
          </dd>
          <dt>인증 앱 등록 주소 (TOTP)</dt>
          <dd>
            <code>{created.totpUri}</code>
          </dd>
        </dl>
      </>,
    );
  });
  route('POST', '/staff/accounts/:staffId/roles', ADMINISTRATION, async (r) => {
    await setStaffRoles(site.db, {
      staffId: r.c.req.param('staffId') ?? '',
      roles: (r.fields.roles ?? '').split(','),
      actor: r.actor,
      now: site.now(),
      ...(r.fields.reason ? { reason: r.fields.reason } : {}),
    });
    return done(r, '/staff/accounts');
  });
  route('POST', '/staff/accounts/:staffId/disable', ADMINISTRATION, async (r) => {
    await disableStaff(site.db, {
      staffId: r.c.req.param('staffId') ?? '',
      actor: r.actor,
      now: site.now(),
      ...(r.fields.reason ? { reason: r.fields.reason } : {}),
    });
    return done(r, '/staff/accounts');
  });

  route('GET', '/staff/settings', ADMINISTRATION, async (r) => {
    const profile = site.deploymentProfile;
    const [settings, reasons, overrides] = await Promise.all([
      loadModerationSettings(site.db, profile),
      listRejectReasons(site.db),
      loadProfileOverrides(site.db, profile),
    ]);
    const effective = site.profile(profile).settings as unknown as Record<string, unknown>;
    return page(
      r,
      '설정',
      <>
        <h1>설정</h1>
        <h2>선거 기간 공개 보류</h2>
        <form method="post" action="/staff/settings/election">
          <input type="hidden" name="csrf" value={r.csrf} />
          <label>
            <input type="checkbox" name="active" value="on" checked={settings.electionActive} /> 켜기
          </label>
          <fieldset>
            <legend>보류할 분야</legend>
            {site.categories().map((cat) => (
              <label>
                <input
                  type="checkbox"
                  name={`category_${cat.code}`}
                  value="on"
                  checked={settings.electionCategories.includes(cat.code)}
                />{' '}
                {cat.name}
              </label>
            ))}
          </fieldset>
          <label>
            공개할 이유 <input name="public_reason" value={settings.electionReason} maxlength={500} />
          </label>
          <button type="submit" class="button">
            저장
          </button>
        </form>
        <h2>검토 목표</h2>
        <form method="post" action="/staff/settings/review">
          <input type="hidden" name="csrf" value={r.csrf} />
          <label>
            목표 (일){' '}
            <input name="target_days" value={String(settings.reviewTargetDays)} inputmode="numeric" />
          </label>
          <label>
            임박 (목표 며칠 전부터){' '}
            <input name="near_days" value={String(settings.reviewNearDays)} inputmode="numeric" />
          </label>
          <button type="submit" class="button">
            저장
          </button>
        </form>
        <h2>공개 거부 사유</h2>
        <table>
          <tbody>
            {reasons.map((reason) => (
              <tr>
                <td>
                  <form method="post" action="/staff/settings/reasons">
                    <input type="hidden" name="csrf" value={r.csrf} />
                    <input type="hidden" name="code" value={reason.code} />
                    <code>{reason.code}</code> <input name="label" value={reason.label} aria-label="이름" />
                    <input name="public_text" value={reason.public_text} aria-label="공개 문구" size={60} />
                    <label>
                      <input type="checkbox" name="active" value="on" checked={reason.active} /> 사용
                    </label>
                    <button type="submit">저장</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action="/staff/settings/reasons">
          <input type="hidden" name="csrf" value={r.csrf} />
          <input type="hidden" name="active" value="on" />
          <label>
            새 코드 <input name="code" pattern="[a-z][a-z0-9_]*" required />
          </label>
          <label>
            이름 <input name="label" required />
          </label>
          <label>
            공개 문구 <input name="public_text" required />
          </label>
          <button type="submit">추가</button>
        </form>
        <h2>운영 정책 ({profile})</h2>
        <table>
          <tbody>
            {SETTING_KEYS.map((key) => (
              <tr>
                <th>{key}</th>
                <td>
                  <code>{JSON.stringify(effective[key])}</code>
                  {key in overrides ? ' (변경됨)' : ' (기본값)'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action="/staff/settings/policy">
          <input type="hidden" name="csrf" value={r.csrf} />
          <label>
            항목{' '}
            <select name="key">
              {SETTING_KEYS.map((key) => (
                <option value={key}>{key}</option>
              ))}
            </select>
          </label>
          <label>
            값 (JSON, 비우면 기본값으로) <input name="value" />
          </label>
          <label>
            이유 <input name="reason" />
          </label>
          <button type="submit" class="button">
            바꾸기
          </button>
        </form>
      </>,
    );
  });
  route('POST', '/staff/settings/election', ADMINISTRATION, async (r) => {
    await changeModerationSettings(site.db, {
      profile: site.deploymentProfile,
      change: {
        electionActive: r.fields.active === 'on',
        electionCategories: Object.keys(r.fields)
          .filter((k) => k.startsWith('category_') && r.fields[k] === 'on')
          .map((k) => k.slice('category_'.length)),
        electionReason: r.fields.public_reason ?? '',
      },
      actor: r.actor,
      now: site.now(),
    });
    return done(r, '/staff/settings');
  });
  route('POST', '/staff/settings/review', ADMINISTRATION, async (r) => {
    const int = (raw: string | undefined, name: string) => {
      if (!/^[0-9]{1,3}$/.test(raw ?? '')) {
        throw new DomainError('invalid_parameter', '일 수는 숫자로 적으십시오.', { fields: [name] });
      }
      return Number(raw);
    };
    await changeModerationSettings(site.db, {
      profile: site.deploymentProfile,
      change: {
        reviewTargetDays: int(r.fields.target_days, 'target_days'),
        reviewNearDays: int(r.fields.near_days, 'near_days'),
      },
      actor: r.actor,
      now: site.now(),
    });
    return done(r, '/staff/settings');
  });
  route('POST', '/staff/settings/reasons', ADMINISTRATION, async (r) => {
    await saveRejectReason(site.db, {
      code: r.fields.code ?? '',
      label: r.fields.label ?? '',
      publicText: r.fields.public_text ?? '',
      active: r.fields.active === 'on',
      actor: r.actor,
      now: site.now(),
    });
    return done(r, '/staff/settings');
  });
  route('POST', '/staff/settings/policy', ADMINISTRATION, async (r) => {
    const rawValue = (r.fields.value ?? '').trim();
    let value: unknown;
    if (rawValue !== '') {
      try {
        value = JSON.parse(rawValue);
      } catch {
        throw new DomainError(
          'invalid_setting',
          '값은 JSON으로 적으십시오 (예: 100000, {"days":30}, null).',
          { key: r.fields.key },
        );
      }
    }
    await changePolicySetting(site.db, {
      profile: site.deploymentProfile,
      key: r.fields.key ?? '',
      value,
      actor: r.actor,
      now: site.now(),
      ...(r.fields.reason ? { reason: r.fields.reason } : {}),
    });
    await site.refreshSettings();
    return done(r, '/staff/settings');
  });
  return route;
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
    <StaffLayout title={title} who={r.who} csrf={r.csrf}>
      {children}
    </StaffLayout>,
    status,
  );

function ReasonField() {
  return (
    <label>
      이유 (기록됨) <input name="reason" maxlength={1000} />
    </label>
  );
}

/** Text with personal-data flags marked (<mark>, the suggested mask in the title attribute). */
function Highlighted(props: {
  text: string;
  flags: Array<Pick<PersonalDataFlagsTable, 'kind' | 'mask' | 'start_offset' | 'end_offset'>>;
}) {
  const parts: Child[] = [];
  let at = 0;
  for (const f of [...props.flags].sort((a, b) => a.start_offset - b.start_offset)) {
    if (f.start_offset < at || f.end_offset > props.text.length) continue;
    parts.push(props.text.slice(at, f.start_offset));
    parts.push(
      <mark class="personal-data" title={`${f.kind} → ${f.mask}`}>
        {props.text.slice(f.start_offset, f.end_offset)}
      </mark>,
    );
    at = f.end_offset;
  }
  parts.push(props.text.slice(at));
  return <>{parts}</>;
}

function StaffLayout(props: { title: string; who: StaffMember; csrf: string; children?: Child }) {
  const has = (roles: readonly StaffRole[]) => roles.some((role) => props.who.roles.includes(role));
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="ko">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${props.title} | 청원 직원`}</title>
          <link rel="stylesheet" href="/assets/style.css" />
        </head>
        <body>
          <header class="site-header">
            <nav class="container categories" aria-label="직원 메뉴">
              <ul>
                <li>
                  <a href="/staff">직원 화면</a>
                </li>
                {has(MODERATION) ? (
                  <li>
                    <a href="/staff/queue">검토 대기열</a>
                  </li>
                ) : null}
                {has(RESPONSES) ? (
                  <li>
                    <a href="/staff/responses">답변 대기</a>
                  </li>
                ) : null}
                {has(ADMINISTRATION) ? (
                  <>
                    <li>
                      <a href="/staff/audit">감사 기록</a>
                    </li>
                    <li>
                      <a href="/staff/accounts">직원 관리</a>
                    </li>
                    <li>
                      <a href="/staff/settings">설정</a>
                    </li>
                  </>
                ) : null}
                <li>
                  <form method="post" action="/staff/logout">
                    <input type="hidden" name="csrf" value={props.csrf} />
                    <button type="submit">로그아웃 ({props.who.email})</button>
                  </form>
                </li>
              </ul>
            </nav>
          </header>
          <main id="main" class="container">
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

function LoginPage(props: { providers: Array<{ id: string; label: string }> }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="ko">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>직원 로그인 | 청원</title>
          <link rel="stylesheet" href="/assets/style.css" />
        </head>
        <body>
          <main id="main" class="container">
            <h1>직원 로그인</h1>
            <form method="post" action="/staff/login">
              <p>
                <label>
                  이메일 <input name="email" type="email" autocomplete="username" required />
                </label>
              </p>
              <p>
                <label>
                  비밀번호 <input name="password" type="password" autocomplete="current-password" required />
                </label>
              </p>
              <p>
                <label>
                  인증 앱의 6자리 코드{' '}
                  <input
                    name="code"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    pattern="[0-9]{6}"
                    required
                  />
                </label>
              </p>
              <button type="submit" class="button">
                로그인
              </button>
            </form>
            {props.providers.map((p) => (
              <p>
                <a class="button" href={`/staff/auth/${p.id}/login`}>
                  {p.label}
                </a>
              </p>
            ))}
          </main>
        </body>
      </html>
    </>
  );
}
