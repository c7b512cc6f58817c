/**
 * Bilingual pages (issue 6): Korean by default, English by a visible switch that is remembered in a cookie,
 * caches kept apart by Vary, numbers and plurals per locale, and the KRDS stylesheet and fonts served by us.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSponsorToken } from '../src/commands/issue-sponsor-token.js';
import { loadConfig } from '../src/config/env.js';
import { createApp } from '../src/http/app.js';
import { unsubscribeUrl } from '../src/notifications/unsubscribe.js';
import { findArchivedPetition } from '../src/repositories/petitions.js';
import { createSigning, type Signing } from '../src/wiring/signing.js';
import { TEST_ENGINE } from './support/databases.js';
import { openPetition } from './support/factories.js';
import { denyLogin, startTestProvider, type TestProvider } from './support/oidc-provider.js';
import { sampleSite, type TestSite } from './support/site.js';

let t: TestSite;
let roomNId: string;
beforeAll(async () => {
  t = await sampleSite();
  roomNId = (await findArchivedPetition(t.handle.db, 'cwd', '586819'))?.id as string;
  await openPetition(t.handle.db, { title: '동의 하나 받은 시험 청원', count: 1 });
  await openPetition(t.handle.db, { title: '동의 둘 받은 시험 청원', count: 2 });
});
afterAll(async () => {
  await t?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });
const english = { Cookie: 'lang=en' };
/** The page's own content (inside <main>), without the frame's switch to the other language. */
const mainOf = (page: string) => /<main[^>]*>(.*)<\/main>/s.exec(page)?.[1];
const HANGUL = /[\uac00-\ud7a3]/;

describe(`Korean and English pages (${TEST_ENGINE})`, () => {
  it('opens in Korean by default, says so, and offers a visible link to the same page in English', async () => {
    const res = await get('/');
    const page = await res.text();
    expect(page).toContain('<html lang="ko">');
    expect(res.headers.get('content-language')).toBe('ko');
    expect(res.headers.get('vary')).toMatch(/\bCookie\b/);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(page).toMatch(
      /<a class="[^"]*lang-switch"[^>]* href="\/\?lang=en" hreflang="en" lang="en"[^>]*>English<\/a>/,
    );
    expect(page).toContain('최다 동의 청원');
    expect(page).toContain('2,715,626명');
  });

  it('a citizen switches to English: the page, its numbers and plurals are English, and the choice is remembered', async () => {
    const res = await get('/?lang=en');
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain('<html lang="en">');
    expect(res.headers.get('content-language')).toBe('en');
    expect(res.headers.get('vary')).toMatch(/\bCookie\b/);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^lang=en;/);
    expect(cookie).toContain('Max-Age=31536000');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('HttpOnly');
    for (const text of [
      'Most agreed petitions',
      'Petitions ending soon',
      'Newest petitions',
      'Answered petitions',
    ])
      expect(page).toContain(text);
    expect(page).toContain('2,715,626 agreements');
    expect(page).toContain('Skip to main content');
    expect(page).toContain('Safety &amp; environment');
    // the petition's own text stays Korean, and says so
    expect(page).toContain(
      '<span class="c-tit" lang="ko">텔레그램 n번방 용의자 신상공개 및 포토라인 세워주세요</span>',
    );
    expect(page).not.toMatch(/최다 동의|참여인원|청원 기간|답변 완료/);
    // the way back is a link to the Korean page
    expect(page).toMatch(/href="\/\?lang=ko" hreflang="ko" lang="ko"[^>]*>한국어<\/a>/);

    const later = await get('/petitions?sort=newest', english);
    const laterPage = await later.text();
    expect(laterPage).toContain('<html lang="en">');
    expect(later.headers.get('set-cookie')).toBeNull();
    expect(laterPage).toContain('1 agreement<');
    expect(laterPage).toContain('2 agreements<');
    expect(laterPage).toMatch(/[\d,]+ petitions</);
  });

  it("shows the Room-N petition's answer section and threshold in English around its Korean text", async () => {
    const page = await (await get(`/petitions/${roomNId}`, english)).text();
    const main = mainOf(page) ?? '';
    expect(main).toContain('<h2 id="response-heading">Official response</h2>');
    expect(main).toContain(
      'This petition was answered, but the archive does not hold the text of the answer.',
    );
    expect(main).toContain('200,000 agreements needed for an official response');
    // Hangul only inside what citizens and officials wrote (marked lang="ko"): title, hashtag, share text
    const outsideKorean = main.replace(/<([a-z0-9]+)[^>]*\slang="ko"[^>]*>[\s\S]*?<\/\1>/g, '');
    expect(outsideKorean.replace(/#[^\s<]+|%[0-9A-F]{2}/g, '')).not.toMatch(/답변|공식|기준|지연/);
  });

  it('keeps the search, sort and page in the switch link, so the same list opens in the other language', async () => {
    const page = await (await get(`/search?q=${encodeURIComponent('n번방')}&sort=agreements&page=2`)).text();
    expect(page).toContain('href="/search?q=n%EB%B2%88%EB%B0%A9&amp;sort=agreements&amp;page=2&amp;lang=en"');
    const en = await (await get(`/search?q=${encodeURIComponent('n번방')}&lang=en`)).text();
    expect(en).toContain('Results for “n번방”');
    expect(en).toContain('Best match');
    expect(en).toContain(`href="/petitions/${roomNId}"`);
  });

  it('a shared English link opens in English even for someone whose cookie says Korean, and switches the cookie', async () => {
    const res = await get('/about/data?lang=en', { Cookie: 'lang=ko' });
    expect(await res.text()).toContain('<h1>Data sources and terms of use</h1>');
    expect(res.headers.get('set-cookie')).toMatch(/^lang=en;/);
  });

  it('ignores a language it does not have, and bad input in the parameter or the cookie', async () => {
    for (const [path, headers] of [
      ['/?lang=fr', {}],
      ['/?lang=%00', {}],
      ['/?lang=en%00', {}],
      ['/', { Cookie: 'lang=%FF%FE' }],
      ['/', { Cookie: `lang=${'x'.repeat(5000)}` }],
    ] as Array<[string, Record<string, string>]>) {
      const res = await get(path, headers);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<html lang="ko">');
      expect(res.headers.get('set-cookie'), path).toBeNull();
    }
  });

  it('shows list headings, category pages and the empty search in English', async () => {
    const category = await (await get('/categories/human-rights-gender-equality', english)).text();
    expect(category).toContain('<h1>Petitions on Human rights &amp; gender equality</h1>');
    expect(category).toContain('Most agreements');
    expect(category).toMatch(/rel="next" href="\/categories\/human-rights-gender-equality\?page=2">Next</);
    const empty = await (await get('/search', english)).text();
    expect(empty).toContain('Enter a search text.');
    const short = await (await get(`/search?q=${encodeURIComponent('방')}`, english)).text();
    expect(short).toContain('Search texts shorter than 2 characters are looked up in petition titles only.');
    const answered = await (await get('/petitions?answered=true', english)).text();
    expect(answered).toContain('<h1>Answered petitions</h1>');
  });

  it('refuses bad input on English pages with English messages and the same codes', async () => {
    const cases: Array<[string, number, string]> = [
      ['/petitions/abc', 400, 'A petition number is a whole number from 1 up.'],
      ['/petitions/999999999', 404, 'There is no petition number 999999999.'],
      ['/categories/no-such-category', 404, 'There is no such category.'],
      ['/search?page=0&per_page=1000', 400, 'Bad request: the value of ‘page’ and ‘per page’ is not valid.'],
      ['/search?q=%FF%FE', 400, 'The address contains percent-encoded bytes that are not valid UTF-8.'],
      ['/no/such/page', 404, 'There is no page at this address.'],
    ];
    for (const [path, status, message] of cases) {
      const res = await get(path, english);
      const page = await res.text();
      expect(res.status, path).toBe(status);
      expect(page, path).toContain('<html lang="en">');
      expect(page, path).toContain(message);
      // nothing Korean in the content (the frame's only Korean is the switch back, marked lang="ko")
      expect(mainOf(page), path).not.toMatch(HANGUL);
    }
    for (const [q, headers, message, kept] of [
      [
        '%00',
        english,
        'Bad request: a search text has at most 100 characters and no control characters.',
        '',
      ],
      [
        '가'.repeat(101),
        {},
        '잘못된 요청입니다: 검색어는 100자 이하로, 제어 문자 없이 입력하십시오.',
        '가'.repeat(101),
      ],
    ] as Array<[string, Record<string, string>, string, string]>) {
      const res = await get(`/search?q=${q}`, headers);
      const page = await res.text();
      expect(res.status).toBe(400);
      // a form error: announced, tied to the search box, the refused text kept there to correct (less control
      // characters)
      expect(page).toContain('aria-invalid="true" aria-describedby="search-q-error"/>');
      expect(page).toContain(
        `<p id="search-q-error" class="form-hint search-error" role="alert">${message}</p>`,
      );
      expect(page).toContain('<code>invalid_parameter</code>');
      expect(page).toContain(`name="q" value="${kept}"`);
    }
    const ko = await (await get('/search?page=0&per_page=1000')).text();
    expect(ko).toContain('잘못된 요청입니다: ‘페이지’ 및 ‘페이지당 개수’ 값이 올바르지 않습니다.');
  });
});

describe(`pages reached from mail and sign-in, in the visitor's language (${TEST_ENGINE})`, () => {
  const PUBLIC_URL = 'http://cheongwon.test';
  let provider: TestProvider;
  let signing: Signing;
  let app: ReturnType<typeof createApp>;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  beforeAll(async () => {
    provider = await startTestProvider({
      clients: [
        {
          client_id: 'cheongwon-kakao',
          client_secret: 'secret-kakao-0123456789',
          redirect_uris: [`${PUBLIC_URL}/auth/kakao/callback`],
        },
      ],
      accounts: { 'kakao-77': { name: '김민지', ci: 'CI-KIM-1' } },
    });
    const env = {
      CHEONGWON_SECRET: 'i18n-test-secret-i18n-test-secret-0123',
      PUBLIC_URL,
      OIDC_PROVIDERS: JSON.stringify([
        {
          id: 'kakao',
          label: '카카오로 로그인',
          issuer: provider.issuer,
          clientId: 'cheongwon-kakao',
          clientSecret: 'secret-kakao-0123456789',
          personClaim: 'ci',
          allowHttp: true,
        },
      ]),
    };
    signing = await createSigning(loadConfig(env), t.site, t.handle.db, env);
    app = createApp(t.site, signing.context);
  });
  afterAll(async () => {
    await signing?.close();
    await provider?.close();
  });

  it('Emma opens the unsubscribe link from her mail: an English page and answer; Korean by default', async () => {
    const id = await openPetition(t.handle.db, { title: '알림 받는 청원인의 청원' });
    await t.handle.db
      .insertInto('petition_creators')
      .values({ petition_id: id, email: 'emma@example.org', name: 'Emma', locale: 'en' })
      .execute();
    const unsubscribedAt = async () =>
      (
        await t.handle.db
          .selectFrom('petition_creators')
          .select('unsubscribed_at')
          .where('petition_id', '=', id)
          .executeTakeFirstOrThrow()
      ).unsubscribed_at;
    const link = unsubscribeUrl('', signing.context.cookieSecret, { kind: 'creator', petitionId: id });

    const ko = await app.request(link);
    const koPage = await ko.text();
    expect(ko.status).toBe(200);
    expect(koPage).toContain('<html lang="ko">');
    expect(ko.headers.get('content-language')).toBe('ko');
    expect(koPage).toContain('<h1>알림 수신 거부</h1>');
    expect(koPage).toContain('올리신 청원에 관한 알림 메일을 더 보내지 않습니다.');

    const en = await app.request(link, { headers: english });
    const enPage = await en.text();
    expect(en.status).toBe(200);
    expect(enPage).toContain('<html lang="en">');
    expect(en.headers.get('content-language')).toBe('en');
    expect(enPage).toContain('<h1>Stop notification emails</h1>');
    expect(enPage).toContain('no more notification emails about the petition you started');
    expect(enPage).toContain('>Unsubscribe</button>');
    expect(mainOf(enPage)).not.toMatch(HANGUL);
    // the switch to Korean keeps the link's parameters; looking changed nothing
    expect(enPage).toContain(`href="${link.replaceAll('&', '&amp;')}&amp;lang=ko" hreflang="ko"`);
    expect(await unsubscribedAt()).toBeNull();

    const done = await app.request(link, { method: 'POST', headers: { ...english, ...form }, body: '' });
    const donePage = await done.text();
    expect(done.status).toBe(200);
    expect(donePage).toContain('<html lang="en">');
    expect(donePage).toContain('<h1>You have been unsubscribed</h1>');
    expect(donePage).toContain('We will send no more notification emails about this petition.');
    expect(mainOf(donePage)).not.toMatch(HANGUL);
    expect(await unsubscribedAt()).not.toBeNull();
    const again = await (await app.request(link, { method: 'POST', body: '' })).text();
    expect(again).toContain('<h1>수신 거부되었습니다</h1>');

    // refusals: a link whose signature does not verify, and one naming nothing
    const forged = link.replace(/t=[\w-]+/, 't=AAAA');
    const nothing = unsubscribeUrl('', signing.context.cookieSecret, {
      kind: 'creator',
      petitionId: '999999999',
    });
    for (const [path, method, status, code, enMessage, koMessage] of [
      [
        forged,
        'GET',
        400,
        'invalid_token',
        'This unsubscribe link is not valid. Open the link exactly as it is in the email.',
        '수신 거부 링크가 올바르지 않습니다.',
      ],
      [
        nothing,
        'POST',
        404,
        'not_found',
        'No notification subscription was found for this link.',
        '이 링크로 찾을 수 있는 알림 구독이 없습니다.',
      ],
    ] as const) {
      const refusedEn = await app.request(path, { method, headers: english });
      const refusedEnPage = await refusedEn.text();
      expect(refusedEn.status, path).toBe(status);
      expect(refusedEnPage, path).toContain('<html lang="en">');
      expect(refusedEnPage, path).toContain(enMessage);
      expect(refusedEnPage, path).toContain(`<code>${code}</code>`);
      expect(mainOf(refusedEnPage), path).not.toMatch(HANGUL);
      const refusedKo = await (await app.request(path, { method })).text();
      expect(refusedKo, path).toContain('<html lang="ko">');
      expect(refusedKo, path).toContain(koMessage);
    }
  });

  it('explains a sign-in that expired, was refused at the provider or names no provider, in either language', async () => {
    // the login cookie is gone (it lasts 10 minutes, or the callback opened in another browser)
    const callback = '/auth/kakao/callback?code=abc&state=xyz';
    const expiredEn = await app.request(callback, { headers: english });
    const expiredEnPage = await expiredEn.text();
    expect(expiredEn.status).toBe(400);
    expect(expiredEnPage).toContain('<html lang="en">');
    expect(expiredEnPage).toContain('Your sign-in has expired. Please try again.');
    expect(expiredEnPage).toContain('<code>identity_error</code>');
    expect(mainOf(expiredEnPage)).not.toMatch(HANGUL);
    const expiredKo = await (await app.request(callback)).text();
    expect(expiredKo).toContain('<html lang="ko">');
    expect(expiredKo).toContain('로그인이 만료되었습니다. 다시 시도하십시오.');
    // its language switch leads home, not back into the callback (its code and state work once)
    expect(expiredKo).toContain('class="krds-btn small tertiary lang-switch" href="/?lang=en"');
    expect(expiredKo).not.toContain('callback?code=abc&amp;state=xyz&amp;lang=en');

    // Minji says no at the provider: a sentence for her, not the OpenID Connect library's message
    for (const [cookies, lang, message] of [
      [['lang=en'], 'en', 'You cancelled the sign-in. To agree, sign in again or agree by email.'],
      [[], 'ko', '로그인을 취소하셨습니다. 동의하려면 다시 로그인하거나 이메일로 동의해 주십시오.'],
    ] as const) {
      const start = await app.request('/auth/kakao/login', {
        headers: cookies.length > 0 ? { Cookie: cookies.join('; ') } : {},
      });
      expect(start.status).toBe(302);
      const login = start.headers.getSetCookie().find((c) => c.startsWith('cw_login='));
      const back = new URL(await denyLogin(start.headers.get('location') as string));
      const refused = await app.request(`${back.pathname}${back.search}`, {
        headers: { Cookie: [...cookies, login?.split(';')[0]].join('; ') },
      });
      const page = await refused.text();
      expect(refused.status, lang).toBe(400);
      expect(page, lang).toContain(`<html lang="${lang}">`);
      expect(page, lang).toContain(message);
      expect(page, lang).toContain('<code>identity_error</code>');
      expect(mainOf(page), lang).not.toMatch(/access_denied|the person refused/);
    }

    const unknown = await app.request('/auth/nowhere/login', { headers: english });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('There is no such way to sign in.');
    expect(await (await app.request('/auth/nowhere/login')).text()).toContain('그런 로그인 방법이 없습니다.');
  });

  it('shows the private pre-agreement page and refuses a signed-out one-click agreement in English', async () => {
    const id = await openPetition(t.handle.db, {
      title: '사전동의 받는 시험 청원',
      state: 'collecting_pre_agreements',
    });
    const token = await issueSponsorToken(signing.context.deps, id);
    const en = await (
      await app.request(`/petitions/${id}/sponsor?token=${token}`, { headers: english })
    ).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('<title>Pre-agreement: 사전동의 받는 시험 청원 | Cheongwon</title>');
    expect(en).toContain('This is a pre-agreement link shared by the petitioner.');
    // the petitioner's words stay Korean, and say so
    expect(en).toContain('<h1 lang="ko">사전동의 받는 시험 청원</h1>');
    expect(en).toContain('Agree by email');
    expect(en).toContain(`name="sponsor_token" value="${token}"`);
    const ko = await (await app.request(`/petitions/${id}/sponsor?token=${token}`)).text();
    expect(ko).toContain('<html lang="ko">');
    expect(ko).toContain('청원인이 공유한 사전동의 링크입니다.');
    expect(ko).toContain('<h1>사전동의 받는 시험 청원</h1>');
    expect(ko).toContain('이메일로 동의하기');
    const wrong = await app.request(`/petitions/${id}/sponsor?token=${'B'.repeat(43)}`, { headers: english });
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).toContain('No petition was found for this pre-agreement link.');

    const open = await openPetition(t.handle.db);
    const signedOut = await app.request(`/petitions/${open}/agreements`, {
      method: 'POST',
      headers: { ...english, ...form },
      body: 'method=oidc',
    });
    const page = await signedOut.text();
    expect(signedOut.status).toBe(401);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Your sign-in has expired. Please sign in again, then agree.');
    expect(mainOf(page)).not.toMatch(HANGUL);
    const twice = await app.request(`/petitions/${open}/agreements`, {
      method: 'POST',
      headers: { ...english, ...form },
      body: 'name=Emma&name=Emma&email=emma%40example.org',
    });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain('The field ‘name’ was sent twice.');
  });
});

describe(`the read API stays locale-neutral (${TEST_ENGINE})`, () => {
  it('gives the same JSON whatever the language, and no page cookie or Vary: Cookie', async () => {
    const ko = await get('/api/v1/petitions?per_page=1', { 'Accept-Language': 'ko', Cookie: 'lang=en' });
    const en = await get('/api/v1/petitions?per_page=1', { 'Accept-Language': 'en' });
    expect(await ko.json()).toEqual(await en.json());
    expect(ko.headers.get('vary') ?? '').not.toMatch(/Cookie/);
    expect(ko.headers.get('content-language')).toBeNull();
    expect(en.headers.get('set-cookie')).toBeNull();
    // lang is no API parameter: refused like any unknown one, and no cookie is set
    const lang = await get('/api/v1/petitions?lang=en');
    expect(lang.status).toBe(400);
    expect(lang.headers.get('set-cookie')).toBeNull();
  });

  it('answers errors in the language Accept-Language asks for, and varies on it', async () => {
    const ko = await get('/api/v1/petitions/999999999', { 'Accept-Language': 'ko-KR,ko;q=0.9,en;q=0.8' });
    expect(ko.status).toBe(404);
    expect(ko.headers.get('vary')).toMatch(/Accept-Language/);
    expect(((await ko.json()) as any).error).toEqual({
      code: 'petition_not_found',
      message: '해당 청원을 찾을 수 없습니다.',
    });
    const en = await get('/api/v1/petitions/999999999', { 'Accept-Language': 'en-GB,en;q=0.9' });
    expect(((await en.json()) as any).error.message).toBe('No public petition has the number 999999999.');
    const bad = await get('/api/v1/petitions?page=0', { 'Accept-Language': 'ko' });
    const body = (await bad.json()) as any;
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.message).toBe('잘못된 요청입니다. 요청 값을 확인하십시오.');
    expect(Object.keys(body.error.details.fields)).toEqual(['page']);
    const none = await get('/api/v1/petitions/999999999');
    expect(none.headers.get('vary')).toMatch(/Accept-Language/);
    expect(((await none.json()) as any).error.message).toBe('No public petition has the number 999999999.');
  });
});

describe(`KRDS stylesheet and fonts from our own server (${TEST_ENGINE})`, () => {
  it('links one content-hashed stylesheet, cached for a year, with the KRDS icons it uses and no font download', async () => {
    const page = await (await get('/')).text();
    const href = /<link rel="stylesheet" href="(\/assets\/krds\.[0-9a-f]{12}\.css)"/.exec(page)?.[1];
    expect(href).toBeDefined();
    const css = await get(href as string);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(css.headers.get('vary')).toBe('Accept-Encoding');
    const text = await css.text();
    expect(text).toContain('.krds-btn');
    expect(text).toContain('--krds-light-color-text-basic');
    expect(text).not.toContain('@import');
    // Pretendard GOV from the visitor's system only (scripts/build-assets.ts says why): nothing to download
    expect(text).toMatch(/@font-face\{font-family:Pretendard GOV;[^}]*src:local\(/);
    expect(text).not.toMatch(/\.woff2?\b/);
    const icon = /url\((\/assets\/ico_angle\.[0-9a-f]{12}\.svg)\)/.exec(text)?.[1];
    for (const [url, type] of [[icon, 'image/svg+xml']]) {
      const res = await get(url as string);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe(type);
    }
    // every url() in the bundle is ours or inline
    expect(text.match(/url\((?!\/assets\/|["']?data:)[^)]*\)/g) ?? []).toEqual([]);
  });

  it('answers a revalidation with 304, compresses when asked, and 404s unknown assets', async () => {
    const page = await (await get('/')).text();
    const href = /href="(\/assets\/krds\.[0-9a-f]{12}\.css)"/.exec(page)?.[1] as string;
    const first = await get(href);
    const etag = first.headers.get('etag') as string;
    const again = await get(href, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const br = await get(href, { 'Accept-Encoding': 'gzip, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    const gzip = await get(href, { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    const legacy = await get('/assets/style.css');
    expect(legacy.status).toBe(200);
    expect(legacy.headers.get('etag')).toBe(etag);
    expect((await get('/assets/krds.000000000000.css')).status).toBe(404);
    expect((await get('/assets/..%2Fpackage.json')).status).toBe(404);
  });
});
