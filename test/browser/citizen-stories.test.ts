/**
 * People's stories, in a real browser (Debian's Chromium through playwright-core) against the real `cheongwon serve`
 * in a child process, with a real SMTP server and a real OpenID Connect provider on loopback. axe-core checks every
 * page visited; screenshots go to test-artifacts/screenshots.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeLedger, axeViolations, countShown, launchChromium, saveScreenshot } from '../support/browser.js';
import { TEST_ENGINE } from '../support/databases.js';
import { openPetition } from '../support/factories.js';
import { freePort, type LiveServer, startLiveServer } from '../support/live-server.js';
import { confirmationLink } from '../support/notifications.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

let server: LiveServer;
let smtp: TestSmtpServer;
let kakao: TestProvider;
let browser: Browser;
let openId = '';
const { visited, violations } = axeLedger();

beforeAll(async () => {
  const port = await freePort();
  smtp = await startTestSmtpServer();
  kakao = await startTestProvider({
    clients: [
      {
        client_id: 'cheongwon-kakao',
        client_secret: 'secret-kakao-0123456789',
        redirect_uris: [`http://127.0.0.1:${port}/auth/kakao/callback`],
      },
    ],
    accounts: { 'kakao-77': { name: '김민지', ci: 'CI-KIM-1' } },
  });
  server = await startLiveServer({
    port,
    env: {
      SMTP_URL: smtp.url,
      OIDC_PROVIDERS: JSON.stringify([
        {
          id: 'kakao',
          label: '카카오로 로그인',
          issuer: kakao.issuer,
          clientId: 'cheongwon-kakao',
          clientSecret: 'secret-kakao-0123456789',
          personClaim: 'ci',
          allowHttp: true,
        },
      ]),
    },
    prepare: async (db) => {
      openId = await openPetition(db, {
        title: '디지털 성범죄 피해자 지원을 늘려 주십시오',
        openedAt: new Date(Date.now() - 2 * 86_400_000),
        closesAt: new Date(Date.now() + 20 * 86_400_000),
      });
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await Promise.all([smtp?.close(), kakao?.close()]);
});

describe(`a citizen in the browser (${TEST_ENGINE})`, () => {
  it('searches “n번방”, opens the largest petition of 2020 and reads its official answer', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await visited(page);
    await saveScreenshot(page, `home-ko-${TEST_ENGINE}`);
    await page.getByRole('searchbox').fill('n번방');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?/);
    await visited(page);
    await page
      .getByRole('link', { name: /텔레그램 n번방 용의자 신상공개/ })
      .first()
      .click();
    await page.waitForURL(/\/petitions\/\d+$/);
    await visited(page);
    await expect(page.getByRole('heading', { level: 1 })).toBeTruthy();
    expect(await page.textContent('main')).toContain('2,715,626');
    expect(await page.textContent('main')).toMatch(/답변/);
    await saveScreenshot(page, `petition-ko-${TEST_ENGINE}`);
    // the same petition in English, from the visible switch
    await page.getByRole('link', { name: 'Read this page in English' }).click();
    await page.waitForURL(/lang=en/);
    await visited(page);
    expect(await page.textContent('main')).toContain('2,715,626 agreements');
    await saveScreenshot(page, `petition-en-${TEST_ENGINE}`);
    await context.close();
  });

  it('agrees by email, reads the mail, confirms with the button, and sees the count rise', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/petitions/${openId}`);
    await visited(page);
    const before = await countShown(page);
    await page.getByLabel('이름').fill('박지현');
    await page.getByLabel('이메일').fill('jihyun.park@example.kr');
    await page.getByRole('button', { name: '이메일로 동의하기' }).click();
    await visited(page);
    const mail = await smtp.waitFor((m) => m.to.includes('jihyun.park@example.kr'), 10_000);
    await page.goto(confirmationLink(mail));
    await visited(page);
    await page.getByRole('button', { name: '동의 확인' }).click();
    await expect(page.getByRole('status')).toBeTruthy();
    expect(await page.textContent('main')).toContain('확인되었습니다');
    await visited(page);
    await page.goto(`${server.url}/petitions/${openId}`);
    expect(await countShown(page)).toBe(before + 1);
    await context.close();
  });

  it('signs in through the identity provider, agrees in one click, and is told so on a second try', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/petitions/${openId}`);
    const before = await countShown(page);
    await page.getByRole('link', { name: '카카오로 로그인' }).click();
    await page.getByLabel('account').fill('kakao-77');
    await page.getByRole('button', { name: 'log in' }).click();
    await page.waitForURL(new RegExp(`/petitions/${openId}`));
    await visited(page);
    await page.getByRole('button', { name: '동의합니다' }).click();
    await visited(page);
    await page.goto(`${server.url}/petitions/${openId}`);
    expect(await countShown(page)).toBe(before + 1);
    await page.getByRole('button', { name: '동의합니다' }).click();
    expect(await page.textContent('main')).toMatch(/이미/);
    await context.close();
  });

  it('has a live accessibility checker (it reports a page made to fail)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent('<html><body><img src="data:,"><a href="/x"></a></body></html>');
    const found = (await axeViolations(page)).join('\n');
    expect(found).toMatch(/^image-alt:/m);
    expect(found).toMatch(/^html-has-lang:/m);
    await context.close();
  });

  it('finds no accessibility violations on any page visited', () => {
    expect(violations).toEqual([]);
  });
});
