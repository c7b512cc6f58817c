/**
 * Issue 15 in a real browser (Debian's Chromium through playwright-core) against the real `cheongwon serve` with a
 * real SMTP server: a first visit stays under 100 KB and downloads no font, nothing moves once fonts are ready
 * (cumulative layout shift measured with a PerformanceObserver), the petition's text comes before the agreement
 * form, the confirmation page names the petition and a used link says so, and the statistics charts read at 360 px.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeLedger, launchChromium } from '../support/browser.js';
import { TEST_ENGINE } from '../support/databases.js';
import { openPetition } from '../support/factories.js';
import { type LiveServer, startLiveServer } from '../support/live-server.js';
import { confirmationLink } from '../support/notifications.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

const TITLE = '불법촬영물 유포 플랫폼의 삭제 의무를 강화해 주십시오';
let server: LiveServer;
let smtp: TestSmtpServer;
let browser: Browser;
let openId = '';
const { visited, violations } = axeLedger();

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  server = await startLiveServer({
    env: { SMTP_URL: smtp.url },
    prepare: async (db) => {
      openId = await openPetition(db, {
        title: TITLE,
        openedAt: new Date(Date.now() - 86_400_000),
        closesAt: new Date(Date.now() + 20 * 86_400_000),
      });
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

/** Sum of the page's layout shifts so far (those not caused by input), as Lighthouse counts CLS. */
async function layoutShift(page: Page): Promise<number> {
  return await page.evaluate<number>(`new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(total), 200);
  })`);
}

describe(`light pages in the browser (${TEST_ENGINE})`, () => {
  it('a first visit is under 100 KB, downloads no font, and nothing shifts after fonts are ready (360 and 1280 px)', async () => {
    for (const width of [360, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      let bytes = 0;
      const types: string[] = [];
      cdp.on('Network.responseReceived', (e) => types.push(e.type));
      cdp.on('Network.loadingFinished', (e) => {
        bytes += e.encodedDataLength;
      });
      for (const path of ['/', `/petitions/${openId}`, '/statistics']) {
        bytes = 0;
        await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' });
        await page.evaluate('document.fonts.ready.then(() => undefined)');
        await page.waitForTimeout(300);
        expect(bytes, `${path} at ${width} px: ${bytes} bytes`).toBeLessThan(100 * 1024);
        expect(await layoutShift(page), `${path} at ${width} px`).toBeLessThanOrEqual(0.02);
      }
      expect(types).not.toContain('Font');
      await context.close();
    }
  });

  it('shows the petition text before the agreement form, with a link at the top that jumps to the form', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/petitions/${openId}`);
    await visited(page);
    const order = await page.evaluate<{ bodyBeforeForm: boolean; jumpBeforeBody: boolean }>(`(() => {
      const body = document.getElementById('body-heading');
      const form = document.getElementById('agree-heading');
      const jump = document.querySelector('a[href="#agree-heading"]');
      const follows = (a, b) => Boolean(a && b && a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
      return { bodyBeforeForm: follows(body, form), jumpBeforeBody: follows(jump, body) };
    })()`);
    expect(order).toEqual({ bodyBeforeForm: true, jumpBeforeBody: true });
    await page.getByRole('link', { name: '이 청원에 동의하기' }).click();
    await page.waitForURL(/#agree-heading$/);
    // the region select shows an arrow (KRDS draws it as a background image)
    const arrow = await page.evaluate<string>(
      "getComputedStyle(document.getElementById('agree-region')).backgroundImage",
    );
    expect(arrow).toMatch(/url\(.*ico_angle/);
    await context.close();
  });

  it('confirms by mail on a page that names the petition; the used link then says it was already confirmed', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/petitions/${openId}`);
    await page.getByLabel('이름').fill('한지우');
    await page.getByLabel('이메일').fill('jiwoo@example.kr');
    await page.getByRole('button', { name: '이메일로 동의하기' }).click();
    await page.getByRole('heading', { level: 1, name: '확인 메일을 보냈습니다' }).waitFor();
    const mail = await smtp.waitFor((m) => m.to.includes('jiwoo@example.kr'));
    const link = confirmationLink(mail);

    await page.goto(link);
    await visited(page);
    await page.getByRole('heading', { level: 1, name: '동의 확인' }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain(TITLE);
    expect(text).toContain('아래 단추를 누르면 청원 동의가 확인되어 참여인원에 더해집니다.');
    await page.getByRole('button', { name: '동의 확인' }).click();
    await page.getByRole('heading', { level: 1, name: '동의가 확인되었습니다' }).waitFor();
    expect(await page.locator('main').innerText()).toContain(TITLE);

    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: '이미 확인된 동의입니다' }).waitFor();
    expect(await page.getByRole('button', { name: '동의 확인' }).count()).toBe(0);
    expect(await page.locator('main').innerText()).toContain(TITLE);
    await context.close();
  });

  it('draws the statistics charts to fit 360 px, with text at 12 px or more and every part of the whole', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/statistics`);
    await visited(page);
    const charts = await page.evaluate<
      Array<{ id: string; right: number; smallestText: number; bars: number; tableRows: number }>
    >(`[...document.querySelectorAll('figure.chart')].map((figure) => {
      const svg = figure.querySelector('svg');
      const texts = [...svg.querySelectorAll('text')].map(
        (t) => (t.getScreenCTM()?.a ?? 0) * Number.parseFloat(getComputedStyle(t).fontSize),
      );
      return {
        id: figure.id,
        right: svg.getBoundingClientRect().right,
        smallestText: Math.min(...texts),
        bars: svg.querySelectorAll('.chart-bar').length,
        tableRows: figure.querySelectorAll('details table tbody tr').length,
      };
    })`);
    expect(charts.map((c) => c.id)).toEqual(['stats-categories', 'stats-states', 'stats-answers']);
    for (const chart of charts) {
      expect(chart.right, chart.id).toBeLessThanOrEqual(360);
      expect(chart.smallestText, chart.id).toBeGreaterThanOrEqual(12);
      expect(chart.tableRows, chart.id).toBe(chart.bars);
    }
    // answered and the petitions that owed no answer: not one bar that reads as "all answered"
    expect(charts.find((c) => c.id === 'stats-answers')?.bars).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await context.close();
  });

  it('finds no accessibility violations on the pages visited', () => {
    expect(violations).toEqual([]);
  });
});
