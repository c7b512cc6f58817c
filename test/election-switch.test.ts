import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { createSite, type Site } from '../src/http/site.js';
import { writeDump } from '../src/open-data/dump.js';
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
    // the API's detail withholds the text as the page does, and says why
    const detail = await (await app.request(`/api/v1/petitions/${withheldId}`)).json();
    expect(detail).toMatchObject({
      body: null,
      withheld_reason: '국회의원 선거 기간에는 이 분야의 청원을 공개하지 않습니다.',
    });
    // and so does the daily dump
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cheongwon-election-'));
    try {
      const manifest = await writeDump(h.db, { dir, now: new Date(), profile: site.profile });
      const records = gunzipSync(readFileSync(path.join(dir, manifest.file)))
        .toString('utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(records.find((r) => r.id === Number(withheldId))).toMatchObject({
        body: null,
        withheld_reason: '국회의원 선거 기간에는 이 분야의 청원을 공개하지 않습니다.',
      });
      expect(records.find((r) => String(r.title).includes('VISIBLE-2'))).toMatchObject({
        body: '본문',
        withheld_reason: null,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
