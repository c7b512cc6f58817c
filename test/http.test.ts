import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchColumns } from '../src/domain/search-text.js';
import { findArchivedPetition } from '../src/repositories/petitions.js';
import { saveProfileOverrides } from '../src/repositories/writes/profile-settings.js';
import { TEST_ENGINE } from './support/databases.js';
import { sampleSite, type TestSite } from './support/site.js';

let t: TestSite;
let roomNId: string;
beforeAll(async () => {
  t = await sampleSite();
  roomNId = (await findArchivedPetition(t.handle.db, 'cwd', '586819'))?.id as string;
});
afterAll(async () => {
  await t?.close();
});

const get = (path: string) => t.app.request(path);
const html = async (path: string, status = 200) => {
  const res = await get(path);
  expect(res.status, path).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  return res.text();
};
/** A page's text as a reader sees it: elements marked `hidden` left out, tags removed, spaces collapsed. */
const visibleText = (page: string) =>
  page
    .replace(/<(span|p|div)\b[^>]*\bhidden\b[^>]*>[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ');
const json = async (path: string, status = 200) => {
  const res = await get(path);
  expect(res.status, path).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  return res.json() as Promise<any>;
};

describe(`public pages on the real sample (${TEST_ENGINE})`, () => {
  it('a citizen opens the home page and sees the most agreed, newest, ending-soon and answered lists', async () => {
    const page = await html('/');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('<html lang="ko">');
    for (const heading of ['최다 동의 청원', '최신 청원', '마감 임박 청원', '답변 완료 청원'])
      expect(page).toContain(heading);
    expect(page).toContain('텔레그램 n번방 용의자 신상공개 및 포토라인 세워주세요');
    expect(page).toContain('2,715,626명');
    expect(page).not.toContain('<script');
  });

  it.each(['n번방', 'N번방', '텔레그램'])(
    'a citizen searches %s and finds the Room-N petitions',
    async (q) => {
      const page = await html(`/search?q=${encodeURIComponent(q)}`);
      expect(page).toContain(`href="/petitions/${roomNId}"`);
      const found = Number(/(\d[\d,]*)건/.exec(page)?.[1]?.replace(/,/g, ''));
      expect(found).toBeGreaterThan(50);
      expect(page).toContain(`value="${q}"`);
    },
  );

  it('finds a petition by a fragment of its title', async () => {
    const page = await html(`/search?q=${encodeURIComponent('포토라인 세워주세요')}`);
    expect(page).toContain(`href="/petitions/${roomNId}"`);
  });

  it('says so when a search finds nothing', async () => {
    const page = await html(`/search?q=${encodeURIComponent('존재하지않는낱말조합xyz')}`);
    expect(page).toContain('검색 결과가 없습니다');
    expect(page).toContain('0건');
  });

  it('shows the Room-N petition: category, period, Korean-formatted count, threshold progress and answered state', async () => {
    const page = await html(`/petitions/${roomNId}`);
    expect(page).toContain('<h1>텔레그램 n번방 용의자 신상공개 및 포토라인 세워주세요</h1>');
    expect(page).toContain('안전/환경');
    expect(page).toContain('2020. 3. 18. ~ 2020. 4. 17.');
    expect(page).toContain('2,715,626명');
    expect(visibleText(page)).toContain('답변 기준 200,000명 중 100% — 기준 도달');
    expect(page).toContain('답변 완료');
    expect(page).toContain('청원 종료');
    expect(page).toContain('보관 기록입니다');
    expect(page).toContain('https://webarchives.pa.go.kr/19th/www.president.go.kr/petitions/586819');
  });

  it('says plainly where the Room-N text and answer the crawl lost can be read: the Presidential Archives (ko, en)', async () => {
    const preserved = 'https://webarchives.pa.go.kr/19th/www.president.go.kr/petitions/586819';
    const page = visibleText(await html(`/petitions/${roomNId}`));
    expect(page).toContain(`대통령기록관 웹기록물에 보존된 원래 페이지에서 읽을 수 있습니다: ${preserved}`);
    expect(page).toContain('이 기록을 가져온 수집본에는 청원 본문이 없습니다.');
    expect(page).not.toContain('www1.president.go.kr/petitions/586819');
    const en = visibleText(await html(`/petitions/${roomNId}?lang=en`));
    expect(en).toContain(`is preserved at the Presidential Archives (대통령기록관): ${preserved}`);
    expect(en).toContain(
      `Read it on the original page, preserved at the Presidential Archives (대통령기록관): ${preserved}`,
    );
  });

  it('shows an official answer in full on an answered petition of 2017', async () => {
    const row = await findArchivedPetition(t.handle.db, 'cwd', '1785');
    const page = await html(`/petitions/${row?.id}`);
    expect(page).toContain('296,330명');
    expect(page).toContain('공식 답변');
    expect(page).not.toContain('보관 자료에 답변 원문이 없습니다');
  });

  it('lists a category, paginates, and keeps the sort in the page links', async () => {
    const page1 = await html('/categories/human-rights-gender-equality?sort=newest');
    expect(page1).toContain('인권/성평등 분야 청원');
    expect(page1).toMatch(
      /rel="next" href="\/categories\/human-rights-gender-equality\?sort=newest&amp;page=2"/,
    );
    const page2 = await html('/categories/human-rights-gender-equality?sort=newest&page=2');
    const ids = (p: string) =>
      [...p.matchAll(/class="petition-title" href="\/petitions\/(\d+)"/g)].map((m) => m[1]);
    expect(ids(page1)).toHaveLength(20);
    expect(ids(page2).some((id) => ids(page1).includes(id))).toBe(false);
  });

  it('escapes petition text: a title with markup is shown as text', async () => {
    const inserted = await t.handle.db
      .insertInto('petitions')
      .values({
        profile: 'cheongwadae',
        title: '<script>alert(1)</script> & "따옴표"',
        body: '<img src=x onerror=alert(1)>',
        ...searchColumns('<script>alert(1)</script> & "따옴표"', '<img src=x onerror=alert(1)>'),
        state: 'open',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const page = await html(`/petitions/${inserted.id}`);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;따옴표&quot;');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
    await t.handle.db.deleteFrom('petitions').where('id', '=', inserted.id).execute();
  });

  it('answers an unknown petition with 404, and a petition in moderation with its count but never its text', async () => {
    expect(await html('/petitions/999999999', 404)).toContain('petition_not_found');
    const draft = await t.handle.db
      .insertInto('petitions')
      .values({
        profile: 'cheongwadae',
        title: '검토 중인 청원',
        body: '본문',
        state: 'in_review',
        ...searchColumns('검토 중인 청원', '본문'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // issue 16: a petition awaiting moderation answers at its number with its count, never its unchecked text
    const moderation = await html(`/petitions/${draft.id}`, 200);
    expect(moderation).toContain('검토를 기다리는 청원입니다');
    expect(moderation).not.toContain('검토 중인 청원');
    await t.handle.db.updateTable('petitions').set({ state: 'draft' }).where('id', '=', draft.id).execute();
    // (a query string: the page just rendered is shared for about a second)
    expect(await html(`/petitions/${draft.id}?as=draft`, 404)).toContain('petition_not_found');
    await t.handle.db.deleteFrom('petitions').where('id', '=', draft.id).execute();
    expect(await html('/categories/no-such-category', 404)).toContain('not_found');
    expect(await html('/no/such/page', 404)).toContain('not_found');
  });

  it.each([
    ['/petitions/abc', 'a petition number that is not a number'],
    ['/search?page=0', 'page 0'],
    ['/search?q=x&page=abc', 'a page that is not a number'],
    ['/petitions?per_page=1000', 'too many per page'],
    ['/petitions?sort=loudest', 'an unknown sort'],
    ['/petitions?category=no-such-category', 'an unknown category'],
    ['/search?q=%00', 'a null byte'],
    ['/search?q=%FF%FE', 'invalid UTF-8'],
    [`/search?q=${'가'.repeat(101)}`, 'a search text over 100 characters'],
  ])('refuses %s (%s) with 400 and a clear message', async (path) => {
    const page = await html(path, 400);
    expect(page).toContain('invalid_parameter');
    expect(page).toMatch(/잘못된 요청|청원 번호는|인코딩/);
  });

  it('ignores parameters it does not know on pages, so shared links (utm_source, fbclid) keep working', async () => {
    const page = await html(`/search?q=${encodeURIComponent('n번방')}&utm_source=kakao&fbclid=abc`);
    expect(page).toContain(`href="/petitions/${roomNId}"`);
  });

  it('finds full-width and decomposed forms of a search text (NFKC)', async () => {
    for (const q of ['Ｎ번방', 'n번방'.normalize('NFD')]) {
      expect(await html(`/search?q=${encodeURIComponent(q)}`)).toContain(`href="/petitions/${roomNId}"`);
    }
  });

  it('searches titles only for texts of one character, and says so', async () => {
    const page = await html(`/search?q=${encodeURIComponent('방')}`);
    expect(page).toContain('2글자보다 짧은 검색어는 청원 제목에서만 찾습니다');
    expect(page).toContain(`href="/petitions/${roomNId}"`);
  });

  it('offers relevance order on search results and keeps it in the links', async () => {
    const page = await html(`/search?q=${encodeURIComponent('n번방')}&sort=agreements`);
    expect(page).toMatch(/href="\/search\?q=n%EB%B2%88%EB%B0%A9&amp;sort=relevance">관련도 순/);
  });

  it('says a page past the last one is empty without claiming nothing was found', async () => {
    const page = await html(`/search?q=${encodeURIComponent('n번방')}&page=50`);
    expect(page).toContain('이 페이지에는 청원이 없습니다');
    expect(page).not.toContain('검색 결과가 없습니다');
    // and links back to the first page of the same search
    expect(page).toMatch(/<a href="\/search\?q=n%EB%B2%88%EB%B0%A9[^"]*">첫 페이지로 돌아가기<\/a>/);
  });

  it('lists only open petitions when sorted by closing date', async () => {
    const page = await html('/petitions?sort=closing');
    expect(page).toContain('마감 임박 순에는 동의를 받고 있는 청원만 나옵니다');
    expect(page).toContain('0건');
  });

  it('marks a count the archive took before the petition closed as not final', async () => {
    const row = await t.handle.db
      .selectFrom('petitions')
      .select('id')
      .where('archived_count_final', '=', false)
      .orderBy('public_count', 'desc')
      .executeTakeFirstOrThrow();
    const page = await html(`/petitions/${row.id}`);
    expect(page).toContain('청원 마감 전에 수집된 집계로, 최종 인원이 아닙니다');
    const body = await json(`/api/v1/petitions/${row.id}`);
    expect(body.count_final).toBe(false);
  });
});

describe(`read API v1 (${TEST_ENGINE})`, () => {
  it('lists petitions with paging metadata, sorted by agreements by default', async () => {
    const body = await json('/api/v1/petitions?per_page=5');
    expect(body.meta).toEqual({ page: 1, per_page: 5, total: 2784, total_is_lower_bound: false });
    expect(body.data).toHaveLength(5);
    expect(body.data[0]).toMatchObject({
      id: Number(roomNId),
      title: '텔레그램 n번방 용의자 신상공개 및 포토라인 세워주세요',
      agreement_count: 2715626,
      count_source: 'archive',
      state: 'closed',
      response_state: 'answered',
      category: { code: 'safety-environment', name: '안전/환경' },
      last_day: '2020-04-17',
      archive: {
        source: 'cwd',
        source_id: '586819',
        url: 'https://webarchives.pa.go.kr/19th/www.president.go.kr/petitions/586819',
      },
    });
    const counts = body.data.map((p: any) => p.agreement_count);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
  });

  it('filters by text, category, state and answered, and searches case-insensitively', async () => {
    const upper = await json(`/api/v1/petitions?q=${encodeURIComponent('N번방')}&per_page=100`);
    const lower = await json(`/api/v1/petitions?q=${encodeURIComponent('n번방')}&per_page=100`);
    expect(upper.meta.total).toBe(lower.meta.total);
    expect(upper.data[0].id).toBe(Number(roomNId));
    const category = await json('/api/v1/petitions?category=pets&per_page=100');
    expect(category.meta.total).toBeGreaterThan(0);
    for (const p of category.data) expect(p.category.code).toBe('pets');
    const answered = await json('/api/v1/petitions?answered=true&per_page=100');
    expect(answered.meta.total).toBeGreaterThanOrEqual(53 + 68);
    for (const p of answered.data) expect(p.response_state).toBe('answered');
    const unanswered = await json('/api/v1/petitions?answered=false&per_page=100');
    expect(unanswered.meta.total).toBe(2784 - answered.meta.total);
    for (const p of unanswered.data) expect(p.response_state).not.toBe('answered');
    expect((await json('/api/v1/petitions?state=open')).meta.total).toBe(0);
  });

  it('returns one petition with its body and official answer, and nothing personal', async () => {
    const row = await findArchivedPetition(t.handle.db, 'cwd', '1785');
    const body = await json(`/api/v1/petitions/${row?.id}`);
    expect(body.official_responses).toHaveLength(1);
    expect(body.official_responses[0].body.length).toBeGreaterThan(500);
    expect(body.thresholds).toEqual([{ kind: 'response', agreements: 200000, reached_at: null }]);
    expect(Object.keys(body).sort()).toEqual(
      [
        'agreement_count',
        'archive',
        'body',
        'category',
        'closed_at',
        'closes_at',
        'committee',
        'count_final',
        'count_source',
        'debate',
        'id',
        'last_day',
        'official_responses',
        'opened_at',
        'profile',
        'response_due_at',
        'response_state',
        'state',
        'thresholds',
        'timeline',
        'title',
        'url',
        'withheld_reason',
      ].sort(),
    );
    expect(JSON.stringify(body)).not.toMatch(/naver - \*\*\*/);
  });

  it('answers unknown ids with 404 and bad parameters with 400, always as an error object with a code', async () => {
    expect((await json('/api/v1/petitions/999999999', 404)).error.code).toBe('petition_not_found');
    expect((await json('/api/v1/petitions/abc', 400)).error.code).toBe('invalid_parameter');
    const bad = await json('/api/v1/petitions?page=-1&per_page=x', 400);
    expect(bad.error.code).toBe('invalid_parameter');
    expect(Object.keys(bad.error.details.fields).sort()).toEqual(['page', 'per_page']);
    expect((await json('/api/v1/petitions?q=%FF', 400)).error.code).toBe('invalid_parameter');
    expect((await json('/api/v1/petitions?q=a%00b', 400)).error.code).toBe('invalid_parameter');
    expect((await json('/api/v1/nothing-here', 404)).error.code).toBe('not_found');
    expect((await json('/api/v1/petitions?color=red', 400)).error.details.fields).toEqual({
      color: 'unknown parameter',
    });
    expect((await json('/api/v1/petitions?category=human-rights', 400)).error.details.fields).toEqual({
      category: 'no category has this code',
    });
    const post = await t.app.request('/api/v1/petitions', { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(((await post.json()) as any).error.code).toBe('method_not_allowed');
  });

  it('describes itself in an OpenAPI 3.1 document at a stable URL', async () => {
    const doc = await json('/api/v1/openapi.json');
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/petitions', '/petitions/{id}']));
    expect(doc.components.schemas).toHaveProperty('Petition');
    expect(doc.components.schemas).toHaveProperty('Error');
    const perPage = doc.paths['/petitions'].get.parameters.find((p: any) => p.name === 'per_page');
    expect(perPage.schema).toMatchObject({ minimum: 1, maximum: 100, default: 20 });
  });

  it('lets any site read the open data from a browser (CORS)', async () => {
    const res = await t.app.request('/api/v1/petitions?per_page=1', {
      headers: { Origin: 'https://example.org' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe(`runtime settings (${TEST_ENGINE})`, () => {
  it('a changed threshold applies to petitions without their own, never to archived ones (the rules of their time)', async () => {
    const live = await t.handle.db
      .insertInto('petitions')
      .values({
        profile: 'cheongwadae',
        title: '설정 확인용 청원',
        body: '본문',
        state: 'open',
        ...searchColumns('설정 확인용 청원', '본문'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await saveProfileOverrides(t.handle.db, 'cheongwadae', { responseThreshold: 150_000 }, new Date());
    await t.site.refreshSettings();
    try {
      const livePage = visibleText(await html(`/petitions/${live.id}`));
      expect(livePage).toContain('답변 기준 150,000명 중 0%');
      expect(livePage).not.toContain('기준 도달');
      const body = await json(`/api/v1/petitions/${live.id}`);
      expect(body.thresholds).toEqual([{ kind: 'response', agreements: 150_000, reached_at: null }]);
      expect(visibleText(await html(`/petitions/${roomNId}`))).toContain('답변 기준 200,000명 중 100%');
    } finally {
      await saveProfileOverrides(t.handle.db, 'cheongwadae', {}, new Date());
      await t.site.refreshSettings();
      await t.handle.db.deleteFrom('petitions').where('id', '=', live.id).execute();
    }
  });
});
