/**
 * Two more people's stories in a real browser (Debian's Chromium through playwright-core) against the real
 * `cheongwon serve` with a real SMTP server: a citizen who keeps a petition open while others agree and watches the
 * count rise without reloading (and never fall back on a stale answer), and an English-speaking citizen who agrees
 * by email with the keyboard alone. The others agree through the site's own HTTP signing path, confirming the links
 * the site mailed them. axe-core checks every page visited.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Browser, Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeLedger, countShown, launchChromium, saveScreenshot } from '../support/browser.js';
import { TEST_ENGINE } from '../support/databases.js';
import { openPetition } from '../support/factories.js';
import { type LiveServer, startLiveServer } from '../support/live-server.js';
import { confirmationLink } from '../support/notifications.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

// the functions given to page.evaluate run in the browser; the project's TypeScript has no DOM library
declare const document: any;
declare const window: any;

const WATCHED_TITLE = '어린이 통학로마다 보도를 만들어 주십시오';
const ENGLISH_TITLE = '공공 안내문을 영어로도 함께 써 주십시오';
/** The watched petition's answer threshold, small so that a few agreements move its bar and then fill it. */
const THRESHOLD = 100;

let server: LiveServer;
let smtp: TestSmtpServer;
let browser: Browser;
let watchedId = '';
let englishId = '';
const { visited, violations } = axeLedger();

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  server = await startLiveServer({
    env: { SMTP_URL: smtp.url },
    prepare: async (db) => {
      watchedId = await openPetition(db, {
        title: WATCHED_TITLE,
        openedAt: new Date(Date.now() - 3 * 86_400_000),
        closesAt: new Date(Date.now() + 20 * 86_400_000),
        count: 97,
        responseThreshold: THRESHOLD,
      });
      // closes first of all open petitions: at the top of the home page's "ending soon" list
      englishId = await openPetition(db, {
        title: ENGLISH_TITLE,
        openedAt: new Date(Date.now() - 28 * 86_400_000),
        closesAt: new Date(Date.now() + 86_400_000),
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

/**
 * Someone else agrees by email through the site's HTTP signing path — a program, not a browser (no Origin or
 * Sec-Fetch-Site header) — and confirms with the link the site mailed them. Resolves once the agreement is counted.
 */
async function agreesElsewhere(petitionId: string, name: string, email: string): Promise<void> {
  const post = (path: string, fields: Record<string, string>) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(fields).toString(),
    });
  const asked = await post(`/petitions/${petitionId}/agreements`, { method: 'email', name, email });
  expect(await asked.json()).toMatchObject({ status: 'pending', petition_id: Number(petitionId) });
  const link = confirmationLink(await smtp.waitFor((m) => m.to.includes(email), 10_000));
  const confirmed = await post('/agreements/confirm', {
    token: new URL(link).searchParams.get('token') ?? '',
  });
  expect(await confirmed.json()).toMatchObject({ status: 'confirmed', petition_id: Number(petitionId) });
}

/**
 * Moves the page's clock on to its next poll of `url` (the live-count script polls every 5 s) and waits for the
 * answer. The clock jumps 5 s at a time until the poll is answered (a jump made while a poll is still being read
 * fires nothing), within 15 s of real time.
 */
async function nextPoll(page: Page, url: string): Promise<Response> {
  const answered = page.waitForResponse((r) => r.url() === url, { timeout: 15_000 });
  for (;;) {
    await page.clock.fastForward(5_000);
    const response = await Promise.race([answered, delay(500).then(() => null)]);
    if (response) return response;
  }
}

/**
 * The status codes the server sends for `url` from now on, as Chromium's network stack sees them: a revalidated
 * answer is a 304 on the wire but a 200 to the page (and to Playwright's `Response`). The returned function lists
 * them in the order the requests were sent, for the requests answered so far.
 */
async function statusesSent(page: Page, url: string): Promise<() => number[]> {
  const cdp = await page.context().newCDPSession(page);
  const requests: Array<{ id: string; url: string }> = [];
  const statuses = new Map<string, number>();
  cdp.on('Network.requestWillBeSent', (e) => requests.push({ id: e.requestId, url: e.request.url }));
  // the raw status comes in an "extra info" event, which may arrive before or after the request's own events
  cdp.on('Network.responseReceivedExtraInfo', (e) => statuses.set(e.requestId, e.statusCode));
  await cdp.send('Network.enable');
  return () =>
    requests.flatMap((r) => (r.url === url && statuses.has(r.id) ? [statuses.get(r.id) as number] : []));
}

/** The threshold bar as assistive technology reads it (Chromium's accessibility tree): its value and maximum. */
async function progressAsRead(page: Page): Promise<{ value: number; max: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodes } = await cdp.send('Accessibility.queryAXTree', {
      nodeId: root.nodeId,
      role: 'progressbar',
    });
    expect(nodes).toHaveLength(1);
    const max = nodes[0]?.properties?.find((p) => p.name === 'valuemax')?.value.value;
    return { value: Number(nodes[0]?.value?.value), max: Number(max) };
  } finally {
    await cdp.detach();
  }
}

/** The threshold bar's `value` and `max` attributes, as the page's markup has them now. */
async function progressAttributes(page: Page): Promise<{ value: number; max: number }> {
  const bar = page.locator('progress#threshold-progress');
  return { value: Number(await bar.getAttribute('value')), max: Number(await bar.getAttribute('max')) };
}

/** True when `target` has the keyboard focus. */
const focused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/**
 * Presses Tab, as a keyboard user moves through a page, until `target` has the focus (at most `max` presses).
 * @throws Error when the focus never gets there
 */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await focused(target)) return;
    await page.keyboard.press('Tab');
  }
  if (!(await focused(target))) throw new Error(`${max} presses of Tab never reached ${target}`);
}

describe(`live counts and an English citizen in the browser (${TEST_ENGINE})`, () => {
  it('a citizen keeps a petition open: the count rises without a reload and never goes backwards', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // the page's timers run at real speed, and the test may move them on to the next poll
    await page.clock.install();
    const countUrl = `${server.url}/api/v1/petitions/${watchedId}/count`;
    const sent = await statusesSent(page, countUrl);
    await page.goto(`${server.url}/petitions/${watchedId}`);
    await visited(page);
    await page.evaluate(() => {
      window.stillTheSamePage = true; // gone if the page is ever reloaded
    });
    const counter = page.locator('.count-large');
    /** The bar's label as rendered (its hidden 'reached' part left out), which is also its accessible name. */
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point (hidden parts excluded)
    const label = () => page.locator('label[for="threshold-progress"]').innerText();
    /** What the counter shows once the page has polled again. */
    const shownAfterNextPoll = async () => {
      await nextPoll(page, countUrl);
      return counter.textContent();
    };
    expect(await counter.textContent()).toBe('97명');
    expect(await counter.getAttribute('data-count')).toBe('97');
    expect(await progressAttributes(page)).toEqual({ value: 97, max: THRESHOLD });
    expect(await progressAsRead(page)).toEqual({ value: 97, max: THRESHOLD });
    expect(await label()).toMatch(/97%$/);
    // the answer as it is now: what a cache on the way may still serve after the count has moved on
    const stale = await (await fetch(countUrl)).text();
    expect(JSON.parse(stale)).toMatchObject({ count: 97, state: 'open' });

    // nothing has changed: the browser revalidates with the ETag and the server answers 304 Not Modified
    const first = await nextPoll(page, countUrl);
    const unchanged = await nextPoll(page, countUrl);
    expect(await unchanged.request().headerValue('if-none-match')).toBe(await first.headerValue('etag'));
    await expect.poll(() => sent().slice(0, 2)).toEqual([200, 304]);
    expect(await counter.textContent()).toBe('97명');

    await agreesElsewhere(watchedId, '이서연', 'seoyeon.lee@example.kr');
    await agreesElsewhere(watchedId, '최민호', 'minho.choi@example.kr');
    await expect.poll(shownAfterNextPoll, { timeout: 30_000 }).toBe('99명');
    expect(await counter.getAttribute('data-count')).toBe('99');
    expect(await progressAttributes(page)).toEqual({ value: 99, max: THRESHOLD });
    expect(await progressAsRead(page)).toEqual({ value: 99, max: THRESHOLD });
    expect(await label()).toMatch(/99%$/); // the label follows the count, not only the bar
    await saveScreenshot(page, `live-count-risen-${TEST_ENGINE}`);

    // a stale cache answers the next polls with the older count: the page keeps the higher one
    let staleAnswers = 0;
    await page.route(countUrl, (route) => {
      staleAnswers++;
      return route.fulfill({ status: 200, contentType: 'application/json', body: stale });
    });
    // the script asks again only after it has handled an answer: a third stale poll means two were handled
    while (staleAnswers < 3) await nextPoll(page, countUrl);
    expect(await counter.textContent()).toBe('99명');
    expect(await counter.getAttribute('data-count')).toBe('99');
    expect(await progressAttributes(page)).toEqual({ value: 99, max: THRESHOLD });
    expect(await progressAsRead(page)).toEqual({ value: 99, max: THRESHOLD });
    await page.unroute(countUrl);

    // fresh answers again: it goes on rising past the threshold, the bar full and no fuller
    await agreesElsewhere(watchedId, '정하은', 'haeun.jung@example.kr');
    await agreesElsewhere(watchedId, '강도윤', 'doyun.kang@example.kr');
    await expect.poll(shownAfterNextPoll, { timeout: 30_000 }).toBe('101명');
    expect(await countShown(page)).toBe(101);
    expect(await progressAttributes(page)).toEqual({ value: THRESHOLD, max: THRESHOLD });
    expect(await progressAsRead(page)).toEqual({ value: THRESHOLD, max: THRESHOLD });
    expect(await label()).toMatch(/100% — 기준 도달$/);
    expect(await page.evaluate(() => window.stillTheSamePage)).toBe(true);
    await visited(page);
    await context.close();
  });

  it('an English-speaking citizen agrees by email with the keyboard, confirms in English, and sees the count rise', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await visited(page);
    await page.getByRole('link', { name: 'Read this page in English' }).click();
    await page.waitForURL(/\?lang=en$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await visited(page);
    await page
      .getByRole('region', { name: 'Petitions ending soon' })
      .getByRole('link', { name: ENGLISH_TITLE })
      .click();
    await page.waitForURL(new RegExp(`/petitions/${englishId}$`));
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('.count-large').textContent()).toBe('0 agreements');
    await visited(page);

    // keyboard only: skip to the content, Tab to the form, type, and send it with Enter
    await page.keyboard.press('Tab');
    expect(await focused(page.getByRole('link', { name: 'Skip to main content' }))).toBe(true);
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('textbox', { name: 'Name' }));
    await page.keyboard.type('Emma Clarke');
    await page.keyboard.press('Tab');
    expect(await focused(page.getByRole('textbox', { name: 'Email' }))).toBe(true);
    await page.keyboard.type('emma.clarke@example.org');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/petitions/${englishId}/agreements$`));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'We have sent you a confirmation email',
    );
    expect(await page.getByRole('status').textContent()).toMatch(/^Open the link in the email to confirm/);
    await visited(page);
    await saveScreenshot(page, `agree-by-email-en-sent-${TEST_ENGINE}`);

    const mail = await smtp.waitFor((m) => m.to.includes('emma.clarke@example.org'), 10_000);
    expect(mail.subject).toBe(`Confirm your agreement: ${ENGLISH_TITLE}`);
    expect(mail.text).toMatch(/^Hello Emma Clarke,\n/);
    expect(mail.text).toContain('Your agreement is not counted until you confirm it.');
    expect(mail.html).toMatch(/<html lang="en"/);
    const link = confirmationLink(mail);
    expect(new URL(link).searchParams.get('lang')).toBe('en');

    // she opens the link from her mail in a new window: English because the link says so, not a cookie
    const mailWindow = await browser.newContext();
    const confirmPage = await mailWindow.newPage();
    await confirmPage.goto(link);
    expect(await confirmPage.getAttribute('html', 'lang')).toBe('en');
    expect(await confirmPage.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm your agreement');
    await visited(confirmPage);
    await tabTo(confirmPage, confirmPage.getByRole('button', { name: 'Confirm my agreement' }));
    await confirmPage.keyboard.press('Enter');
    await confirmPage.getByRole('heading', { level: 1, name: 'Your agreement is confirmed' }).waitFor();
    expect(await confirmPage.getByRole('status').textContent()).toBe(
      'Your agreement has been confirmed and added to the count. Thank you for taking part.',
    );
    await visited(confirmPage);
    await saveScreenshot(confirmPage, `agree-by-email-en-confirmed-${TEST_ENGINE}`);

    await tabTo(confirmPage, confirmPage.getByRole('link', { name: 'Back to the petition' }));
    await confirmPage.keyboard.press('Enter');
    await confirmPage.waitForURL(new RegExp(`/petitions/${englishId}$`));
    expect(await confirmPage.getAttribute('html', 'lang')).toBe('en');
    expect(await confirmPage.locator('.count-large').textContent()).toBe('1 agreement');
    await visited(confirmPage);
    await mailWindow.close();
    await context.close();
  });

  it('a citizen who mistypes her address is taken to the field, with what she typed kept', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/petitions/${watchedId}`);
    await page.getByLabel('이름').fill('박지민');
    await page.getByLabel('이메일').fill('jimin@invalid'); // the browser takes it; the server does not
    await page.getByRole('button', { name: '이메일로 동의하기' }).click();
    await visited(page);
    // the summary is announced and has the focus; its link leads to the field, which keeps the typed text
    const summary = page.locator('#error-summary');
    await expect.poll(() => summary.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('agree-email');
    expect(await page.getByLabel('이메일').inputValue()).toBe('jimin@invalid');
    expect(await page.getByLabel('이름').inputValue()).toBe('박지민');
    expect(await page.getByLabel('이메일').getAttribute('aria-invalid')).toBe('true');
    await context.close();
  });

  it('finds no accessibility violations on any page visited', () => {
    expect(violations).toEqual([]);
  });
});
