import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { createSite, type Site } from '../src/http/site.js';
import { AgreementWriter } from '../src/signing/agreement-writer.js';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/databases.js';
import { commitment, openPetition, signer, writerParts } from './support/factories.js';

let h: TestDatabase;
let site: Site;
let id = '';
beforeAll(async () => {
  h = await freshDatabase();
  site = await createSite({ db: h.db, deploymentProfile: 'cheongwadae', settingsTtlMs: 0 });
  id = await openPetition(h.db, {
    title: '디지털 성범죄 처벌을 강화해 주십시오',
    openedAt: new Date(Date.now() - 3 * 86_400_000),
    closesAt: new Date(Date.now() + 20 * 86_400_000),
  });
  // three days of agreements, from Seoul and Busan and without a region
  const regions = ['seoul', 'seoul', 'busan', null, 'seoul'];
  for (let day = 0; day < 3; day++) {
    const t0 = new Date(Date.now() - (2 - day) * 86_400_000);
    const writer = new AgreementWriter({ ...writerParts, db: h.db, now: () => t0 });
    await Promise.all(
      regions.slice(0, day + 3).map((region, i) =>
        writer.agree({
          petitionId: id,
          signerKey: signer(day * 10 + i),
          method: 'oidc',
          region,
          locale: 'ko',
          notify: false,
          receiptCommitment: commitment(),
        }),
      ),
    );
    await writer.close();
  }
});
afterAll(async () => {
  site?.close();
  await h?.close();
});

describe(`the petition page (${TEST_ENGINE})`, () => {
  it('draws agreements by day and by region with their tables, counts live, and offers sharing, in Korean', async () => {
    const html = await (await createApp(site).request(`/petitions/${id}`)).text();
    expect(html).toContain('12명');
    expect(html).toContain('날짜별 동의');
    expect(html).toContain('지역별 동의');
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="agreements-by-day-title-svg"/);
    expect(html).toContain('<th scope="row">서울특별시</th>');
    expect(html).toContain(`data-live-count="/api/v1/petitions/${id}/count"`);
    expect(html).toContain('data-format-other="#명"');
    expect(html).toMatch(/<script src="\/assets\/live-count\.[0-9a-f]{12}\.js"/);
    expect(html).toContain('#디지털_성범죄_처벌을_강화해_주십시오');
    expect(html).toContain('<meta property="og:description" content="12명 동의"/>');
    expect(html).toContain(`<progress id="threshold-progress" max="200000" value="12"`);
  });

  it('is English throughout when asked, with plurals, region names and the agreement form translated', async () => {
    const res = await createApp(site).request(`/petitions/${id}?lang=en`);
    expect(res.headers.get('content-language')).toBe('en');
    const html = await res.text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('12 agreements');
    expect(html).toContain('Agreements by day');
    expect(html).toContain('<th scope="row">Seoul</th>');
    expect(html).toContain('data-format-one="# agreement"');
    expect(html).toContain('The petition');
    expect(html).not.toMatch(/날짜별|지역별|청원 내용/);
  });

  it('serves the live-count script it links', async () => {
    const app = createApp(site);
    const html = await (await app.request(`/petitions/${id}`)).text();
    const src = /<script src="(\/assets\/live-count\.[0-9a-f]{12}\.js)"/.exec(html)?.[1] as string;
    const js = await app.request(src);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toContain('never shows a smaller number');
  });
});
