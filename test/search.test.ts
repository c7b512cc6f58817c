/**
 * Search as a citizen types it, on the real sample (both engines): several words in any order, quoted phrases, a
 * petition's local or source number, the API's source lookup, old-style archive links, and every title of the
 * sample finding its own petition when searched verbatim (one normalisation for text and query:
 * domain/search-text.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchColumns } from '../src/domain/search-text.js';
import { pageQuerySchema, toPetitionListQuery } from '../src/http/list-query.js';
import { findArchivedPetition, listPetitions, petitionsNotMatching } from '../src/repositories/petitions.js';
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

const json = async (path: string, status = 200) => {
  const res = await t.app.request(path);
  expect(res.status, path).toBe(status);
  return res.json() as Promise<any>;
};
const search = (q: string, perPage = 20) =>
  json(`/api/v1/petitions?q=${encodeURIComponent(q)}&per_page=${perPage}`);

/** Inserts a public closed petition (archived when `archive` is given) and returns its id. */
async function insertPetition(title: string, archive?: { source: string; id: string }): Promise<string> {
  const row = await t.handle.db
    .insertInto('petitions')
    .values({
      profile: 'cheongwadae',
      title,
      body: '본문입니다',
      ...searchColumns(title, '본문입니다'),
      state: 'closed',
      ...(archive
        ? {
            archive_source: archive.source,
            archive_source_id: archive.id,
            archived_agreement_count: 1,
            archived_count_final: true,
          }
        : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe(`search (${TEST_ENGINE})`, () => {
  it.each(['n번방 신상공개', '포토라인 텔레그램', 'n 번방', '신상공개 n번방 포토라인'])(
    'finds the Room-N petition first for the words %s, in any order',
    async (q) => {
      const body = await search(q);
      expect(body.data[0].id).toBe(Number(roomNId));
    },
  );

  it('finds Room-N petitions first for n번방 처벌, every word in each result', async () => {
    const body = await search('n번방 처벌', 100);
    expect(body.meta.total).toBeGreaterThan(0);
    expect(body.data[0].title).toMatch(/n번방/i);
    expect(body.data[0].title).toMatch(/처벌/);
    for (const p of body.data) {
      const text = `${p.title}`.toLowerCase();
      // a result holds both words in its title, or in its body (the summary has no body: check the full record)
      if (!(text.includes('n번방') && text.includes('처벌'))) {
        const full = await json(`/api/v1/petitions/${p.id}`);
        const all = `${full.title}\n${full.body ?? ''}`.toLowerCase();
        expect(all).toContain('n번방');
        expect(all).toContain('처벌');
      }
    }
  });

  it('ranks title matches above body matches, then by agreements', async () => {
    const body = await search('n번방', 100);
    const inTitle = body.data.map((p: any) => /n번방/i.test(p.title));
    // once the results reach petitions with the word only in the body, no title match follows
    const firstBodyOnly = inTitle.indexOf(false);
    if (firstBodyOnly >= 0) expect(inTitle.slice(firstBodyOnly)).not.toContain(true);
  });

  it('requires every word: a word found nowhere empties the result', async () => {
    expect((await search('n번방 존재하지않는낱말xyz')).meta.total).toBe(0);
  });

  it('honours quoted phrases', async () => {
    const phrase = await search('"포토라인 세워주세요"');
    expect(phrase.data[0].id).toBe(Number(roomNId));
    const reversed = await search('"세워주세요 포토라인"', 100);
    expect(reversed.data.map((p: any) => p.id)).not.toContain(Number(roomNId));
    // unquoted, the same words in that order still find it
    expect((await search('세워주세요 포토라인')).data[0].id).toBe(Number(roomNId));
  });

  it('finds a petition by its local number, first', async () => {
    const body = await search(roomNId);
    expect(body.data[0].id).toBe(Number(roomNId));
    const page = await (await t.app.request(`/search?q=${roomNId}`)).text();
    expect(page).toContain(`href="/petitions/${roomNId}"`);
  });

  it('finds an archived petition by its number on the source site, first (Blue House, Assembly, UK, We the People)', async () => {
    expect((await search('586819')).data[0].id).toBe(Number(roomNId));
    expect((await search('#586,819')).data[0].id).toBe(Number(roomNId));
    for (const [source, id] of [
      ['uk', '9241584'],
      ['assembly', '9100123'],
      ['wtp', '9000777'],
    ] as const) {
      const local = await insertPetition(`출처 번호 시험 ${source}`, { source, id });
      try {
        const body = await search(id);
        expect(body.data[0].id, source).toBe(Number(local));
      } finally {
        await t.handle.db.deleteFrom('petitions').where('id', '=', local).execute();
      }
    }
  });

  it('answers GET /api/v1/petitions?source=cwd&source_id=586819 with that petition', async () => {
    const body = await json('/api/v1/petitions?source=cwd&source_id=586819');
    expect(body.meta).toEqual({ page: 1, per_page: 20, total: 1, total_is_lower_bound: false });
    expect(body.data[0]).toMatchObject({
      id: Number(roomNId),
      archive: { source: 'cwd', source_id: '586819' },
    });
    expect((await json('/api/v1/petitions?source=cwd&source_id=999999999')).meta.total).toBe(0);
    expect((await json('/api/v1/petitions?source=cwd', 400)).error.code).toBe('invalid_parameter');
    const doc = await json('/api/v1/openapi.json');
    const params = doc.paths['/petitions'].get.parameters.map((p: any) => p.name);
    expect(params).toEqual(expect.arrayContaining(['q', 'source', 'source_id']));
    expect(JSON.stringify(doc.paths['/petitions'].get.responses['200'])).toContain('total_is_lower_bound');
  });

  it('redirects old-style links /archive/<source>/<id> (301) to the petition, 404 when unknown', async () => {
    const res = await t.app.request('/archive/cwd/586819');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`/petitions/${roomNId}`);
    const unknown = await t.app.request('/archive/cwd/999999999');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/text\/html/);
    expect((await t.app.request('/archive/cwd/%00')).status).toBe(404);
  });

  it('finds titles with Hangul compatibility jamo, ㅠㅠ and … when searched verbatim', async () => {
    const titles = [
      '김ㅇㅇ 교사의 징계를 요청합니다',
      '너무 억울합니다 ㅠㅠ',
      '이대로는 안 됩니다…',
      'ＡＢＣ 전각 문자',
    ];
    const ids = await Promise.all(titles.map((title) => insertPetition(title)));
    try {
      for (const [i, title] of titles.entries()) {
        const body = await search(title);
        expect(body.data[0]?.id, title).toBe(Number(ids[i]));
      }
      expect((await search('abc 전각')).data[0]?.id).toBe(Number(ids[3]));
    } finally {
      await t.handle.db.deleteFrom('petitions').where('id', 'in', ids).execute();
    }
  });

  it('with more matches than the count cap: "1,000+", the exact title first, titles above bodies, phrases above words apart', async () => {
    // 1,030 petitions holding the word 늘보검색 (none in the sample): 20 in the title, the rest in the body only
    const word = '늘보검색';
    const rows = Array.from({ length: 1030 }, (_, i) => {
      const inTitle = i < 20;
      const title = inTitle ? `${i % 2 ? `${word} 바다 확인` : `바다 모래 ${word}`} ${i}` : `다른 제목 ${i}`;
      const body = inTitle ? '본문' : `본문에 ${word} 바다 낱말`;
      // body-only matches are the most agreed: relevance must still put every title match first
      const count = inTitle ? i : 10_000 + i;
      return {
        profile: 'cheongwadae',
        title,
        body,
        ...searchColumns(title, body),
        state: 'closed' as const,
        archive_source: 'cwd',
        archive_source_id: `cap-${i}`,
        archived_agreement_count: count,
        archived_count_final: true,
      };
    });
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += 200) {
      const inserted = await t.handle.db
        .insertInto('petitions')
        .values(rows.slice(i, i + 200))
        .returning('id')
        .execute();
      ids.push(...inserted.map((r) => r.id));
    }
    const exact = await insertPetition(word);
    ids.push(exact);
    try {
      const one = await search(word);
      expect(one.meta).toMatchObject({ total: 1000, total_is_lower_bound: true });
      expect(one.data[0].id).toBe(Number(exact));
      const titles = one.data.slice(1).map((p: any) => p.title);
      expect(titles).toHaveLength(19);
      for (const title of titles) expect(title).toContain(word);
      // title matches by agreements (19, 18, …), then body-only ones by agreements
      expect(titles[0]).toMatch(/ 19$/);
      const next = await search(word, 40);
      expect(next.data.slice(21).map((p: any) => p.title)).toEqual(
        Array.from({ length: 19 }, (_, k) => `다른 제목 ${1029 - k}`),
      );
      // two words: the titles holding them as a phrase ("늘보검색 바다") rank above the ones holding them apart
      const two = await search(`${word} 바다`, 20);
      expect(two.meta.total_is_lower_bound).toBe(true);
      const order = two.data.map((p: any) => p.title as string);
      expect(order.slice(0, 10).every((title: string) => title.startsWith(`${word} 바다`))).toBe(true);
      expect(order.slice(10, 20).every((title: string) => title.startsWith('바다 모래'))).toBe(true);
      // past the cap, pages are empty
      expect(
        (await json(`/api/v1/petitions?q=${encodeURIComponent(word)}&per_page=100&page=11`)).data,
      ).toEqual([]);
    } finally {
      await t.handle.db.deleteFrom('petitions').where('id', 'in', ids).execute();
    }
  });

  it('finds every title of the shipped sample when it is searched verbatim', async () => {
    const rows = await t.handle.db.selectFrom('petitions').select(['id', 'title']).execute();
    expect(rows.length).toBe(2784);
    const typed = rows.map((r) => ({ id: r.id, text: [...r.title].slice(0, 100).join('') }));
    // the match, for every title (a batch at a time) …
    for (let i = 0; i < typed.length; i += 500) {
      expect(await petitionsNotMatching(t.handle.db, typed.slice(i, i + 500))).toEqual([]);
    }
    // … and the page a citizen gets, for every title: its petition among the first hundred results
    const missing: string[] = [];
    for (const { id, text } of typed) {
      const q = pageQuerySchema.parse({ q: text, per_page: '100' });
      const page = await listPetitions(t.handle.db, toPetitionListQuery(q, 'relevance'));
      if (!page.rows.some((r) => r.id === id)) missing.push(`${id}: ${text}`);
    }
    expect(missing).toEqual([]);
  }, 120_000);
});
