/**
 * Bilingual pages (issue 6): Korean by default, English by a visible switch that is remembered in a cookie,
 * caches kept apart by Vary, numbers and plurals per locale, and the KRDS stylesheet and fonts served by us.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findArchivedPetition } from '../src/repositories/petitions.js';
import { TEST_ENGINE } from './support/databases.js';
import { openPetition } from './support/factories.js';
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
    expect(short).toContain('Search texts shorter than 3 characters are looked up in petition titles only.');
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
      expect(/<main[^>]*>(.*)<\/main>/s.exec(page)?.[1], path).not.toMatch(/[\uac00-\ud7a3]/);
    }
    for (const [q, headers, message] of [
      ['%00', english, 'Bad request: a search text has at most 100 characters and no control characters.'],
      ['가'.repeat(101), {}, '잘못된 요청입니다: 검색어는 100자 이하로, 제어 문자 없이 입력하십시오.'],
    ] as Array<[string, Record<string, string>, string]>) {
      const res = await get(`/search?q=${q}`, headers);
      const page = await res.text();
      expect(res.status).toBe(400);
      // a form error: announced, tied to the search box, the refused text not echoed back
      expect(page).toContain('aria-invalid="true" aria-describedby="search-q-error"/>');
      expect(page).toContain(
        `<p id="search-q-error" class="form-hint search-error" role="alert">${message}</p>`,
      );
      expect(page).toContain('<code>invalid_parameter</code>');
      expect(page).toContain('value=""');
    }
    const ko = await (await get('/search?page=0&per_page=1000')).text();
    expect(ko).toContain('잘못된 요청입니다: ‘페이지’ 및 ‘페이지당 개수’ 값이 올바르지 않습니다.');
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
  it('links one content-hashed stylesheet, cached for a year, with the Pretendard GOV fonts and KRDS icons', async () => {
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
    const font = /url\((\/assets\/PretendardGOV-Regular\.subset\.[0-9a-f]{12}\.woff2)\)/.exec(text)?.[1];
    const icon = /url\((\/assets\/ico_angle\.[0-9a-f]{12}\.svg)\)/.exec(text)?.[1];
    for (const [url, type] of [
      [font, 'font/woff2'],
      [icon, 'image/svg+xml'],
    ]) {
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
    const gzip = await get(href, { 'Accept-Encoding': 'gzip, br' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    const legacy = await get('/assets/style.css');
    expect(legacy.status).toBe(200);
    expect(legacy.headers.get('etag')).toBe(etag);
    expect((await get('/assets/krds.000000000000.css')).status).toBe(404);
    expect((await get('/assets/..%2Fpackage.json')).status).toBe(404);
  });
});
