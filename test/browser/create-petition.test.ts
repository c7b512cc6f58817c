/**
 * "Charlie creates a petition", in Debian's Chromium against the real `cheongwon serve` with a real SMTP server:
 * the staged form on a 360 px phone, a similar petition shown before the body, the emailed link confirmed with its
 * button, and the private pre-agreement link. In Korean and in English, keyboard only; axe-core (WCAG 2.2 AA) on
 * every page; a screenshot of each stage in test-artifacts/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, saveScreenshot } from '../support/browser.js';
import { TEST_ENGINE } from '../support/databases.js';
import { freePort, type LiveServer, startLiveServer } from '../support/live-server.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

// the functions given to page.evaluate run in the browser; the project's TypeScript has no DOM library
declare const document: { activeElement: { id: string } | null };

let server: LiveServer;
let smtp: TestSmtpServer;
let browser: Browser;
const violations: string[] = [];

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  server = await startLiveServer({ port: await freePort(), env: { SMTP_URL: smtp.url } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

async function visited(page: Page, screenshot: string): Promise<void> {
  violations.push(...(await axeViolations(page)));
  await saveScreenshot(page, `${screenshot}-${TEST_ENGINE}`);
}

/** Moves the keyboard focus forward until the element with `id` has it (at most 80 presses of Tab). */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.id ?? '')) === id) return;
  }
  throw new Error(`Tab never reached #${id}`);
}

/** Runs `action` (which submits a form) and waits until the next page has loaded. */
async function submitWith(page: Page, action: () => Promise<void>): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', (f) => f === page.mainFrame());
  await action();
  await navigated;
  await page.waitForLoadState('load');
}

/** Tabs to the submit button with this exact accessible name and presses Enter. */
async function pressButton(page: Page, name: string): Promise<void> {
  const button = page.getByRole('button', { name, exact: true });
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (
      await button.evaluate(
        (b) => b === (globalThis as { document?: { activeElement?: unknown } }).document?.activeElement,
      )
    ) {
      await submitWith(page, () => page.keyboard.press('Enter'));
      return;
    }
  }
  throw new Error(`Tab never reached the button “${name}”`);
}

const STORIES = [
  {
    locale: 'ko',
    email: 'charlie@example.kr',
    text: {
      next: '다음',
      continue: '새 청원 계속 작성',
      check: '확인하기',
      submit: '청원 제출',
      confirm: '청원 등록 확인',
      similar: '비슷한 청원이 이미 있습니다',
      mail: '메일을 확인해 주십시오',
      registered: '청원이 등록되었습니다',
      counter: /\d+자 \/ 100자/,
      tooLong: '제목은 100자까지',
    },
  },
  {
    locale: 'en',
    email: 'charlie@example.org',
    text: {
      next: 'Next',
      continue: 'Continue with a new petition',
      check: 'Check it',
      submit: 'Submit the petition',
      confirm: 'Confirm my petition',
      similar: 'There are similar petitions already',
      mail: 'Check your email',
      registered: 'Your petition is registered',
      counter: /\d+ of 100 characters/,
      tooLong: 'The title can be at most 100 characters',
    },
  },
] as const;

describe(`a creator in the browser (${TEST_ENGINE})`, () => {
  for (const story of STORIES) {
    it(`Charlie posts a petition (${story.locale}), is shown a similar one, continues, confirms by mail and receives the pre-agreement link — keyboard only, at 360 px`, async () => {
      const context = await browser.newContext({ viewport: { width: 360, height: 780 }, isMobile: true });
      const page = await context.newPage();
      const s = story.text;
      await page.goto(`${server.url}/petitions/new?lang=${story.locale}`);
      expect(await page.getAttribute('html', 'lang')).toBe(story.locale);
      await visited(page, `create-1-title-${story.locale}`);

      // stage 1: a title over the limit is refused, the error summary gets the focus and links to the field
      await tabTo(page, 'category');
      await page.keyboard.press('ArrowDown'); // the first category
      await tabTo(page, 'title');
      await page.keyboard.type('가'.repeat(101));
      await pressButton(page, s.next);
      expect(await page.textContent('#error-summary')).toContain(s.tooLong);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
      await visited(page, `create-1-error-${story.locale}`);
      // the summary's link to the title field (focus the summary again: axe above may have moved it)
      await page.focus('#error-summary');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.url()).toMatch(/#title$/);

      await page.fill('#title', '');
      await page.focus('#title');
      await page.keyboard.type('텔레그램 n번방 가입자 전원 처벌');
      await expect.poll(() => page.locator('#title-count').textContent()).toMatch(s.counter);
      // implicit submission (Enter in the field) takes the first button: "next"
      await submitWith(page, () => page.keyboard.press('Enter'));

      // stage 2: similar petitions from the archive sample
      expect(await page.textContent('main')).toContain(s.similar);
      expect(await page.locator('main ul.similar-petitions li').count()).toBeGreaterThan(0);
      await visited(page, `create-2-similar-${story.locale}`);
      await pressButton(page, s.continue);

      // stage 3: the body
      await tabTo(page, 'body');
      await page.keyboard.type('가입자 전원을 처벌해 주십시오. 문의: 010-1234-5678');
      await visited(page, `create-3-body-${story.locale}`);
      await pressButton(page, s.check);

      // stage 4: preview, the personal-data warning, the rules, name and email
      expect(await page.locator('mark').first().textContent()).toBe('010-1234-5678');
      await tabTo(page, 'name');
      await page.keyboard.type('찰리');
      await tabTo(page, 'email');
      await page.keyboard.type(story.email);
      await visited(page, `create-4-check-${story.locale}`);
      await pressButton(page, s.submit);

      // stage 5: check your mail
      expect(await page.textContent('h1')).toContain(s.mail);
      await visited(page, `create-5-mail-${story.locale}`);
      const mail = await smtp.waitFor((m) => m.to.includes(story.email), 10_000);
      const link = /https?:\/\/\S+\/petitions\/new\/confirm\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
      expect(link).toBeDefined();
      await page.goto(link as string);
      await visited(page, `create-6-confirm-${story.locale}`);
      await pressButton(page, s.confirm);
      expect(await page.textContent('h1')).toContain(s.registered);
      const sponsor = await page.inputValue('#sponsor-link');
      expect(sponsor).toMatch(/\/petitions\/\d+\/sponsor\?token=[A-Za-z0-9_-]{43}$/);
      await visited(page, `create-7-link-${story.locale}`);
      await smtp.waitFor((m) => m.to.includes(story.email) && m.text.includes(sponsor), 10_000);
      await page.goto(sponsor);
      expect(await page.textContent('h1')).toContain('텔레그램 n번방 가입자 전원 처벌');
      await context.close();
    });
  }

  it('found no accessibility violations on any page visited', () => {
    expect(violations).toEqual([]);
  });
});
