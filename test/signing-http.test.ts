import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSponsorToken } from '../src/commands/issue-sponsor-token.js';
import { loadConfig } from '../src/config/env.js';
import { reconcileCounts } from '../src/counting/reconcile.js';
import { personId } from '../src/domain/identity.js';
import { createApp } from '../src/http/app.js';
import { sessionCookieHeader } from '../src/http/middleware/session.js';
import { createSite, type Site } from '../src/http/site.js';
import { SigningRateLimits } from '../src/signing/rate-limits.js';
import { createSigning, type Signing } from '../src/wiring/signing.js';
import { AppBrowser } from './support/app-browser.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { openPetition, writerDeps } from './support/factories.js';
import { loginAs, startTestProvider, type TestProvider } from './support/oidc-provider.js';
import { startTestSmtpServer, type TestSmtpServer } from './support/smtp-server.js';

const PUBLIC_URL = 'http://cheongwon.test';
let h: TestDatabase;
let site: Site;
let signing: Signing;
let app: ReturnType<typeof createApp>;
let smtp: TestSmtpServer;
/** Addresses the test SMTP server refuses for good (550) while they are in the set. */
const refusedAddresses = new Set<string>();
let kakao: TestProvider;
let naver: TestProvider;

/** A citizen's browser on the app under test (see `AppBrowser`). */
class Browser extends AppBrowser {
  constructor() {
    super(app);
  }
}

/** Signs `browser` in at the test provider as `account` and checks it is sent back to `returnTo`. */
async function signIn(browser: Browser, provider: 'kakao' | 'naver', account: string, returnTo: string) {
  const start = await browser.request(`/auth/${provider}/login?return_to=${encodeURIComponent(returnTo)}`);
  expect(start.status).toBe(302);
  const callback = new URL(await loginAs(start.headers.get('location') as string, account));
  const back = await browser.request(`${callback.pathname}${callback.search}`);
  expect(back.status).toBe(302);
  expect(back.headers.get('location')).toBe(returnTo);
}

const count = async (id: string) =>
  (
    await h.db
      .selectFrom('petitions')
      .select('agreement_count')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).agreement_count;
const agreementRows = async (id: string) =>
  Number(
    (
      await h.db
        .selectFrom('agreements')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('petition_id', '=', id)
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  h = await freshDatabase();
  smtp = await startTestSmtpServer({ rejectRecipient: (address) => refusedAddresses.has(address) });
  const clients = (id: string) => [
    {
      client_id: `cheongwon-${id}`,
      client_secret: `secret-${id}-0123456789`,
      redirect_uris: [`${PUBLIC_URL}/auth/${id}/callback`],
    },
  ];
  // the same person (one CI) at two providers, with different subject ids
  kakao = await startTestProvider({
    clients: clients('kakao'),
    accounts: {
      'kakao-77': { name: '김민지', ci: 'CI-KIM-1' },
      'kakao-88': { name: '이서준', ci: 'CI-LEE-2' },
    },
  });
  naver = await startTestProvider({
    clients: clients('naver'),
    accounts: { 'naver-xyz': { name: '김민지', ci: 'CI-KIM-1' } },
  });
  const env = {
    CHEONGWON_SECRET: 'test-secret-test-secret-test-secret-0123',
    PUBLIC_URL,
    SMTP_URL: smtp.url,
    OIDC_PROVIDERS: JSON.stringify(
      [
        ['kakao', kakao],
        ['naver', naver],
      ].map(([id, p]) => ({
        id,
        label: `${id}로 로그인`,
        issuer: (p as TestProvider).issuer,
        clientId: `cheongwon-${id}`,
        clientSecret: `secret-${id}-0123456789`,
        personClaim: 'ci',
        allowHttp: true,
      })),
    ),
    RATE_LIMIT_ADDRESS: '1000/60',
  };
  const config = loadConfig(env);
  site = await createSite({
    db: h.db,
    deploymentProfile: 'cheongwadae',
    settingsTtlMs: 0,
    now: () => new Date('2026-11-29T06:00:00Z'),
  });
  signing = await createSigning(config, site, h.db, env);
  app = createApp(site, signing.context);
});
afterAll(async () => {
  await signing?.close();
  expect(await reconcileCounts(h.db, writerDeps)).toEqual([]);
  site?.close();
  await Promise.all([smtp?.close(), kakao?.close(), naver?.close()]);
  await h?.close();
});

describe(`agreeing by email (${TEST_ENGINE})`, () => {
  it('Minji agrees by email, reads the mail, opens the link (nothing happens), confirms, and the count rises once', async () => {
    const id = await openPetition(h.db, { title: '디지털 성범죄 처벌 강화' });
    const minji = new Browser();
    const page = await (await minji.request(`/petitions/${id}`)).text();
    expect(page).toContain('이메일로 동의하기');
    const res = await minji.post(`/petitions/${id}/agreements`, {
      method: 'email',
      name: '김민지',
      email: 'minji@example.kr',
      region: 'seoul',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('확인 메일을 보냈습니다');
    expect(await count(id)).toBe(0);

    const mail = await smtp.waitFor((m) => m.to.includes('minji@example.kr'));
    expect(mail.subject).toContain('디지털 성범죄 처벌 강화');
    const link = /http:\/\/cheongwon\.test(\/agreements\/confirm\?token=[A-Za-z0-9_-]{43})/.exec(
      mail.text,
    )?.[1] as string;
    expect(link).toBeTruthy();
    expect(mail.html).toContain(link.replace('?', '?'));

    // a mail scanner prefetching the link confirms nothing
    const prefetch = await new Browser().request(link);
    expect(prefetch.status).toBe(200);
    const confirmPage = await prefetch.text();
    expect(confirmPage).toContain('동의 확인');
    // the page names the petition being confirmed and says what the button does
    expect(confirmPage).toContain('디지털 성범죄 처벌 강화');
    expect(confirmPage).toContain('아래 단추를 누르면 청원 동의가 확인되어 참여인원에 더해집니다.');
    expect(await count(id)).toBe(0);

    const token = new URL(link, PUBLIC_URL).searchParams.get('token') as string;
    const confirmed = await minji.post('/agreements/confirm', { token });
    expect(await confirmed.text()).toContain('동의가 확인되었습니다');
    expect(await count(id)).toBe(1);
    const again = await minji.post('/agreements/confirm', { token });
    expect(again.status).toBe(200);
    const againText = await again.text();
    // a second press says the link was used, not "added" again
    expect(againText).toContain('이미 확인된 동의입니다');
    expect(againText).not.toContain('동의가 확인되었습니다');
    expect(againText).toContain('디지털 성범죄 처벌 강화');
    expect(await count(id)).toBe(1);
    // and the used link, opened again, says so without a button
    const reopened = await (await new Browser().request(link)).text();
    expect(reopened).toContain('이미 확인된 동의입니다');
    expect(reopened).not.toContain('name="token"');
    // the confirmation page shows nobody's name or address
    expect(againText).not.toContain('minji@example.kr');
  });

  it('Emma agrees in English: English pages, an English mail whose link opens the English confirmation', async () => {
    const id = await openPetition(h.db, { title: '디지털 성범죄 피해자 지원' });
    const emma = new Browser();
    const page = await (await emma.request(`/petitions/${id}?lang=en`)).text();
    expect(page).toContain('Agree by email');
    const res = await emma.post(`/petitions/${id}/agreements`, {
      method: 'email',
      name: 'Emma Clarke',
      email: 'emma@example.org',
    });
    expect(await res.text()).toContain('We have sent you a confirmation email');
    const mail = await smtp.waitFor((m) => m.to.includes('emma@example.org'));
    const link = /http:\/\/cheongwon\.test(\/agreements\/confirm\?token=[A-Za-z0-9_-]{43}&lang=en)/.exec(
      mail.text,
    )?.[1] as string;
    expect(link).toBeTruthy();
    // opened on another device, without the language cookie
    const confirmPage = await (await new Browser().request(link)).text();
    expect(confirmPage).toContain('<html lang="en"');
    expect(confirmPage).toContain('Confirm my agreement');
    const token = new URL(link, PUBLIC_URL).searchParams.get('token') as string;
    const confirmed = await emma.post('/agreements/confirm', { token });
    expect(await confirmed.text()).toContain('Your agreement is confirmed');
    expect(await count(id)).toBe(1);
  });

  it('Minji mistypes her address: the form comes back with what she typed and the error tied to the field', async () => {
    const id = await openPetition(h.db);
    const res = await new Browser().post(`/petitions/${id}/agreements`, {
      method: 'email',
      name: '김민지',
      email: 'minji@invalid',
      region: 'seoul',
      notify: 'on',
    });
    expect(res.status).toBe(400);
    const page = await res.text();
    // announced and linked: the summary (role=alert, focused by the page's script) points at the field
    expect(page).toMatch(/<div id="error-summary"[^>]*role="alert"[^>]*data-error-summary/);
    expect(page).toContain('<a href="#agree-email">');
    expect(page).toMatch(
      /<input id="agree-email"[^>]*aria-invalid="true"[^>]*aria-describedby="agree-email-error"/,
    );
    expect(page).toContain('<p id="agree-email-error" class="search-error">');
    // nothing typed is lost
    expect(page).toMatch(/<input id="agree-name"[^>]*value="김민지"/);
    expect(page).toMatch(/<input id="agree-email"[^>]*value="minji@invalid"/);
    expect(page).toMatch(/<option value="seoul" selected=""/);
    expect(page).toMatch(/<input id="agree-notify"[^>]*checked=""/);
    expect(page).toContain(`href="/petitions/${id}"`);
    expect(await agreementRows(id)).toBe(0);
  });

  it('an empty form reports every missing field at once, name and email', async () => {
    const id = await openPetition(h.db);
    const res = await new Browser().post(`/petitions/${id}/agreements`, {
      method: 'email',
      name: '',
      email: '',
    });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<a href="#agree-name">');
    expect(page).toContain('<a href="#agree-email">');
    expect(page).toMatch(/<input id="agree-name"[^>]*aria-invalid="true"/);
    expect(page).toMatch(/<input id="agree-email"[^>]*aria-invalid="true"/);
    expect(await agreementRows(id)).toBe(0);
  });

  it('a double-clicked submit gives one agreement, one email and the same page twice', async () => {
    const id = await openPetition(h.db);
    const b = new Browser();
    const before = smtp.messages.length;
    const [a1, a2] = await Promise.all([
      b.post(`/petitions/${id}/agreements`, { name: '박지훈', email: 'jihoon@example.kr' }),
      b.post(`/petitions/${id}/agreements`, { name: '박지훈', email: 'jihoon@example.kr' }),
    ]);
    const [t1, t2] = [await a1.text(), await a2.text()];
    expect([a1.status, a2.status]).toEqual([200, 200]);
    expect(t1).toContain('확인 메일을 보냈습니다');
    // the same page, but for the receipt secret: without script each submit gets one made by the server (the
    // page's script makes one per form, so a double click sends the same)
    const secretless = (t: string) => t.replace(/<code>[0-9a-f]{32}<\/code>/, '<code>…</code>');
    expect(secretless(t2)).toBe(secretless(t1));
    expect(await agreementRows(id)).toBe(1);
    await smtp.waitFor((m) => m.to.includes('jihoon@example.kr'));
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.messages.slice(before).filter((m) => m.to.includes('jihoon@example.kr'))).toHaveLength(1);
  });

  it('treats John.Smith+x@googlemail.com and johnsmith@gmail.com as one person', async () => {
    const id = await openPetition(h.db);
    await new Browser().post(`/petitions/${id}/agreements`, {
      name: 'John Smith',
      email: 'John.Smith+x@googlemail.com',
    });
    await new Browser().post(`/petitions/${id}/agreements`, {
      name: 'john smith',
      email: 'johnsmith@gmail.com',
    });
    expect(await agreementRows(id)).toBe(1);
  });
});

describe(`agreeing with a verified identity (${TEST_ENGINE})`, () => {
  it('Minji signs in and agrees in one click; a second attempt says she already agreed', async () => {
    const id = await openPetition(h.db);
    const minji = new Browser();
    await signIn(minji, 'kakao', 'kakao-77', `/petitions/${id}`);
    const page = await (await minji.request(`/petitions/${id}`)).text();
    expect(page).toContain('동의합니다');
    const first = await minji.post(`/petitions/${id}/agreements`, { method: 'oidc' });
    expect(await first.text()).toContain('동의했습니다');
    expect(await count(id)).toBe(1);
    const second = await minji.post(`/petitions/${id}/agreements`, { method: 'oidc' });
    expect(await second.text()).toContain('이미 동의하셨습니다');
    expect(await count(id)).toBe(1);
  });

  it('shares a rendered page among visitors, yet shows a signer their agreement when they reload', async () => {
    const id = await openPetition(h.db);
    const visitor = new Browser();
    const shown = async () =>
      /data-count="(\d+)"/.exec(await (await visitor.request(`/petitions/${id}`)).text())?.[1];
    expect(await shown()).toBe('0');
    // another app server's agreement (written straight to the database): shared pages show it within a second
    await h.db.updateTable('petitions').set({ agreement_count: 5 }).where('id', '=', id).execute();
    expect(await shown()).toBe('0');
    const minji = new Browser();
    await signIn(minji, 'kakao', 'kakao-77', `/petitions/${id}`);
    await new Promise((r) => setTimeout(r, 120)); // past the 100 ms a count change lets a shared page live
    expect((await minji.post(`/petitions/${id}/agreements`, { method: 'oidc' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 120));
    expect(await shown()).toBe('6');
    await h.db.updateTable('petitions').set({ agreement_count: 1 }).where('id', '=', id).execute();
  });

  it('counts one person once across providers when they share the CI claim', async () => {
    const id = await openPetition(h.db);
    const viaKakao = new Browser();
    await signIn(viaKakao, 'kakao', 'kakao-77', `/petitions/${id}`);
    await viaKakao.post(`/petitions/${id}/agreements`, { method: 'oidc' });
    const viaNaver = new Browser();
    await signIn(viaNaver, 'naver', 'naver-xyz', `/petitions/${id}`);
    expect(await (await viaNaver.post(`/petitions/${id}/agreements`, { method: 'oidc' })).text()).toContain(
      '이미 동의하셨습니다',
    );
    const seojun = new Browser();
    await signIn(seojun, 'kakao', 'kakao-88', `/petitions/${id}`);
    expect(await (await seojun.post(`/petitions/${id}/agreements`, { method: 'oidc' })).text()).toContain(
      '동의했습니다',
    );
    expect(await count(id)).toBe(2);
  });

  it('refuses a replayed login callback', async () => {
    const b = new Browser();
    const start = await b.request('/auth/kakao/login');
    const callback = new URL(await loginAs(start.headers.get('location') as string, 'kakao-77'));
    expect((await b.request(`${callback.pathname}${callback.search}`)).status).toBe(302);
    const replay = await new Browser().request(`${callback.pathname}${callback.search}`);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('identity_error');
  });
});

describe(`rate limits (${TEST_ENGINE})`, () => {
  it('answers 429 with Retry-After once a client has used its share', async () => {
    const limited = createApp(site, {
      ...signing.context,
      limits: new SigningRateLimits({
        perAddress: { points: 2, seconds: 60 },
        perPetition: { points: 100, seconds: 1 },
      }),
    });
    const id = await openPetition(h.db);
    const post = (n: number) =>
      limited.request(`/petitions/${id}/agreements`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ name: '김민지', email: `rate${n}@example.kr` }).toString(),
      });
    expect((await post(1)).status).toBe(200);
    expect((await post(2)).status).toBe(200);
    const third = await post(3);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await third.json()) as any).error.code).toBe('rate_limited');
    expect(await agreementRows(id)).toBe(2);
  });
});

describe(`bad input on the signing path (${TEST_ENGINE})`, () => {
  const json = { accept: 'application/json' };
  it.each([
    [{ name: '김민지', email: 'not-an-email' }, 400, 'invalid_email'],
    [{ name: '김민지', email: 'a@b' }, 400, 'invalid_email'],
    [{ name: '가'.repeat(101), email: 'long@example.kr' }, 400, 'invalid_name'],
    [{ name: '김\u0000민지', email: 'nul@example.kr' }, 400, 'invalid_name'],
    [{ name: '', email: 'empty@example.kr' }, 400, 'invalid_name'],
    [{ name: '김민지', email: 'region@example.kr', region: 'atlantis' }, 400, 'invalid_region'],
  ])('refuses %j with %i %s and stores nothing', async (fields, status, code) => {
    const id = await openPetition(h.db);
    const res = await new Browser().post(
      `/petitions/${id}/agreements`,
      fields as Record<string, string>,
      json,
    );
    expect(res.status).toBe(status);
    expect(((await res.json()) as any).error.code).toBe(code);
    expect(await agreementRows(id)).toBe(0);
  });

  it('refuses invalid UTF-8, wrong content types and huge bodies', async () => {
    const id = await openPetition(h.db);
    const raw = (body: string | Uint8Array, type = 'application/x-www-form-urlencoded') =>
      app.request(`/petitions/${id}/agreements`, {
        method: 'POST',
        headers: { 'content-type': type, ...json },
        body,
      });
    const badUtf8 = await raw('name=%FF%FE&email=x%40example.kr');
    expect(badUtf8.status).toBe(400);
    expect(((await badUtf8.json()) as any).error.code).toBe('invalid_body');
    const asJson = await raw('{"name":"김민지"}', 'application/json');
    expect(((await asJson.json()) as any).error.code).toBe('invalid_body');
    const huge = await raw(`name=${'a'.repeat(20_000)}&email=x%40example.kr`);
    expect(huge.status).toBe(413);
    expect(await agreementRows(id)).toBe(0);
  });

  it('refuses malformed, unknown and invalid-UTF-8 tokens', async () => {
    for (const token of ['short', 'A'.repeat(43), '%FF'.repeat(15)]) {
      const res = await app.request('/agreements/confirm', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...json },
        body: `token=${token}`,
      });
      expect(res.status, token).toBe(400);
      expect(['invalid_token', 'invalid_body']).toContain(((await res.json()) as any).error.code);
    }
  });

  it('refuses closed, unpublished and unknown petitions with their codes', async () => {
    const closed = await openPetition(h.db, { closesAt: new Date('2026-11-28T15:00:00Z') });
    const review = await openPetition(h.db, { state: 'in_review' });
    const post = (id: string) =>
      new Browser().post(`/petitions/${id}/agreements`, { name: '김민지', email: 'late@example.kr' }, json);
    const c1 = await post(closed);
    expect([c1.status, ((await c1.json()) as any).error.code]).toEqual([409, 'petition_not_open']);
    const c2 = await post(review); // not public: indistinguishable from no petition
    expect([c2.status, ((await c2.json()) as any).error.code]).toEqual([404, 'petition_not_found']);
    const c3 = await post('99999999');
    expect([c3.status, ((await c3.json()) as any).error.code]).toEqual([404, 'petition_not_found']);
    expect(await agreementRows(closed)).toBe(0);
    const page = await (await new Browser().request(`/petitions/${closed}`)).text();
    expect(page).not.toContain('이메일로 동의하기');
  });
});

describe(`pre-agreements through the creator's private link (${TEST_ENGINE})`, () => {
  it('only people with the link may agree while a petition collects pre-agreements; the 100th sends it to review', async () => {
    const id = await openPetition(h.db, { state: 'collecting_pre_agreements' });
    const token = await issueSponsorToken(signing.context.deps, id);
    const json = { accept: 'application/json' };
    // without the link (or with a wrong one): refused, nothing stored
    const publicTry = await new Browser().post(
      `/petitions/${id}/agreements`,
      { name: '김민지', email: 'early@example.kr' },
      json,
    );
    // not public yet: without the link it looks like no petition at all
    expect([publicTry.status, ((await publicTry.json()) as any).error.code]).toEqual([
      404,
      'petition_not_found',
    ]);
    const wrong = await new Browser().post(
      `/petitions/${id}/agreements`,
      { name: '김민지', email: 'early@example.kr', sponsor_token: 'B'.repeat(43) },
      json,
    );
    expect(((await wrong.json()) as any).error.code).toBe('invalid_token');
    expect((await new Browser().request(`/petitions/${id}/sponsor?token=${'B'.repeat(43)}`)).status).toBe(
      404,
    );
    expect(await agreementRows(id)).toBe(0);
    // the private page shows the form carrying the link's token
    const page = await (await new Browser().request(`/petitions/${id}/sponsor?token=${token}`)).text();
    expect(page).toContain(`name="sponsor_token" value="${token}"`);
    // signing in from it comes back to it (the petition's public page does not exist yet), ready for one click
    const sponsorLink = `/petitions/${id}/sponsor?token=${token}`;
    expect(page).toContain(`/auth/kakao/login?return_to=${encodeURIComponent(sponsorLink)}`);
    const jisoo = new Browser();
    await signIn(jisoo, 'kakao', 'kakao-77', sponsorLink);
    const signedInPage = await (await jisoo.request(sponsorLink)).text();
    expect(signedInPage).toContain('동의합니다');
    expect(signedInPage).toContain(`name="sponsor_token" value="${token}"`);
    // 100 sponsors sign in and agree through the link: the petition goes to review
    for (let i = 0; i < 100; i++) {
      const res = await app.request(`/petitions/${id}/agreements`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          cookie: sessionCookieHeader(
            personId(signing.context.deps.secret, { kind: 'email', email: `sponsor${i}@example.kr` }),
            'test-secret-test-secret-test-secret-0123',
          ),
        },
        body: new URLSearchParams({ method: 'oidc', sponsor_token: token }).toString(),
      });
      expect(res.status).toBe(201);
    }
    const petition = await h.db
      .selectFrom('petitions')
      .select(['state', 'agreement_count'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(petition).toEqual({ state: 'in_review', agreement_count: 100 });
  });
});

describe(`what the review found (${TEST_ENGINE})`, () => {
  const json = { accept: 'application/json' };
  it('sends a fresh link to a person whose first link expired, instead of locking them out', async () => {
    const id = await openPetition(h.db);
    const b = new Browser();
    await b.post(`/petitions/${id}/agreements`, { name: '최유나', email: 'yuna@example.kr' });
    await smtp.waitFor((m) => m.to.includes('yuna@example.kr'));
    await h.db
      .updateTable('agreements')
      .set({ token_expires_at: new Date('2026-11-01T00:00:00Z') })
      .where('petition_id', '=', id)
      .execute();
    await b.post(`/petitions/${id}/agreements`, { name: '최유나', email: 'yuna@example.kr' });
    const mails = () => smtp.messages.filter((m) => m.to.includes('yuna@example.kr'));
    for (let i = 0; i < 50 && mails().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(mails()).toHaveLength(2);
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mails()[1]?.text ?? '')?.[1] as string;
    expect(await (await b.post('/agreements/confirm', { token })).text()).toContain('동의가 확인되었습니다');
    expect(await count(id)).toBe(1);
  });

  it('keeps the earlier link working when the mail with a fresh one cannot be sent', async () => {
    const id = await openPetition(h.db);
    const b = new Browser();
    await b.post(`/petitions/${id}/agreements`, { name: '윤서아', email: 'seoa@example.kr' });
    const first = await smtp.waitFor((m) => m.to.includes('seoa@example.kr'));
    const earlier = /token=([A-Za-z0-9_-]{43})/.exec(first.text)?.[1] as string;
    // issued an hour ago by the site's clock (past the pause between mails), valid for 23 hours more
    await h.db
      .updateTable('agreements')
      .set({ token_expires_at: new Date(Date.parse('2026-11-29T06:00:00Z') + 23 * 3600_000) })
      .where('petition_id', '=', id)
      .execute();
    refusedAddresses.add('seoa@example.kr');
    try {
      const again = await b.post(`/petitions/${id}/agreements`, { name: '윤서아', email: 'seoa@example.kr' });
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('이 주소로는 메일을 보낼 수 없습니다');
    } finally {
      refusedAddresses.delete('seoa@example.kr');
    }
    expect(await (await b.post('/agreements/confirm', { token: earlier })).text()).toContain(
      '동의가 확인되었습니다',
    );
    expect(await count(id)).toBe(1);
  });

  it('answers the same for a signed and an unsigned address on a closed petition', async () => {
    const id = await openPetition(h.db);
    await new Browser().post(`/petitions/${id}/agreements`, { name: '한지민', email: 'jimin@example.kr' });
    await h.db
      .updateTable('petitions')
      .set({ closes_at: new Date('2026-11-29T05:00:00Z'), state: 'closed' })
      .where('id', '=', id)
      .execute();
    const signed = await new Browser().post(
      `/petitions/${id}/agreements`,
      { name: '한지민', email: 'jimin@example.kr' },
      json,
    );
    const unsigned = await new Browser().post(
      `/petitions/${id}/agreements`,
      { name: '남궁민', email: 'min@example.kr' },
      json,
    );
    expect([signed.status, unsigned.status]).toEqual([409, 409]);
    expect(await signed.json()).toEqual(await unsigned.json());
  });

  it('does not reveal petitions that are not public, and asks signed-out one-click requests to sign in', async () => {
    const draft = await openPetition(h.db, { state: 'draft' });
    const res = await new Browser().post(
      `/petitions/${draft}/agreements`,
      { name: '김민지', email: 'd@example.kr' },
      json,
    );
    expect([res.status, ((await res.json()) as any).error]).toEqual([
      404,
      expect.objectContaining({ code: 'petition_not_found' }),
    ]);
    const open = await openPetition(h.db);
    const signedOut = await new Browser().post(`/petitions/${open}/agreements`, { method: 'oidc' }, json);
    expect([signedOut.status, ((await signedOut.json()) as any).error.code]).toEqual([
      401,
      'unauthenticated',
    ]);
  });

  it('takes names and addresses with accents (José Müller) and any letter case in the content type', async () => {
    const id = await openPetition(h.db);
    const res = await app.request(`/petitions/${id}/agreements`, {
      method: 'POST',
      headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded', ...json },
      body: new URLSearchParams({
        name: 'José Müller',
        email: 'jose@example.kr',
        constructor: 'x',
      }).toString(),
    });
    expect(res.status).toBe(200);
    const contact = await h.db
      .selectFrom('agreement_contacts as c')
      .innerJoin('agreements as a', 'a.id', 'c.agreement_id')
      .select('c.name')
      .where('a.petition_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(contact.name).toBe('José Müller');
  });
});
