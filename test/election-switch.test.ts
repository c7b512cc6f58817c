import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { createSite, type Site } from '../src/http/site.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { openPetition } from './support/factories.js';

let h: TestDatabase;
let site: Site;
let withheldId = '';
beforeAll(async () => {
  h = await freshDatabase();
  site = await createSite({ db: h.db, deploymentProfile: 'cheongwadae', settingsTtlMs: 0 });
  withheldId = await openPetition(h.db, { title: '보류될 후보자 관련 청원 ELECTION-1' }); // category 'other'
  await openPetition(h.db, { title: '보이는 청원 VISIBLE-2' });
  await h.db
    .updateTable('petitions')
    .set({ category: 'politics' })
    .where('title', 'like', '%VISIBLE-2%')
    .execute();
  await h.db
    .insertInto('moderation_settings')
    .values({
      profile: 'cheongwadae',
      election_active: true,
      election_categories: ['other'],
      election_reason: '국회의원 선거 기간에는 이 분야의 청원을 공개하지 않습니다.',
    } as never)
    .execute();
});
afterAll(async () => {
  site?.close();
  await h?.close();
});

describe(`the election-period switch (${TEST_ENGINE})`, () => {
  it('withholds the chosen categories from lists, search and the API, and the petition page says why', async () => {
    const app = createApp(site);
    for (const path of [
      '/',
      '/petitions',
      '/search?q=ELECTION',
      '/api/v1/petitions',
      '/api/v1/petitions.csv',
    ]) {
      const body = await (await app.request(path)).text();
      expect(body, path).not.toContain('ELECTION-1');
    }
    expect(await (await app.request('/petitions')).text()).toContain('VISIBLE-2');
    const page = await (await app.request(`/petitions/${withheldId}`)).text();
    expect(page).toContain('국회의원 선거 기간에는 이 분야의 청원을 공개하지 않습니다.');
  });
});
