/**
 * Korean and English pages on a phone-sized screen (360 px) and a desktop, in Debian's Chromium against the real
 * `cheongwon serve`: the language switch, no downloaded font, keyboard focus, no sideways
 * scrolling, and axe-core (WCAG 2.2 AA) on every page visited. Screenshots go to test-artifacts/screenshots.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, axeLedger, launchChromium, saveScreenshot } from '../support/browser.js';
import { TEST_ENGINE } from '../support/databases.js';
import { freePort, type LiveServer, startLiveServer } from '../support/live-server.js';

// the functions given to page.evaluate run in the browser; the project's TypeScript has no DOM library
declare const document: any;
declare function getComputedStyle(element: unknown): {
  outlineStyle: string;
  outlineWidth: string;
  boxShadow: string;
};
type HTMLElement = { id: string; className: string };

let server: LiveServer;
let browser: Browser;
const { visited, violations } = axeLedger();

beforeAll(async () => {
  server = await startLiveServer({ port: await freePort() });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const PHONE = { width: 360, height: 780 };

/** True when the page is wider than the screen (a person would have to scroll sideways). */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/** What the first screen shows (the full-page screenshot of a long list is too tall to judge the header by). */
const saveFirstScreen = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, 'screenshots', `${name}.png`) });

async function phone(): Promise<BrowserContext> {
  return browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
}

describe(`Korean and English pages in the browser (${TEST_ENGINE})`, () => {
  it('a person on a 360 px phone reads the home page in Korean, with no font to download, without scrolling sideways', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(server.url);
    await page.evaluate(() => document.fonts.ready);
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    // Pretendard GOV when the visitor has it installed, else the system's Korean font: no font is downloaded
    // (scripts/build-assets.ts says why), so none can arrive late and move the text
    expect(
      await page.evaluate(() =>
        performance.getEntriesByType('resource').filter((r) => /\.(woff2?|ttf|otf)(\?|$)/.test(r.name)),
      ),
    ).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);
    await visited(page);
    await saveScreenshot(page, `home-ko-360-${TEST_ENGINE}`);
    await saveFirstScreen(page, `home-ko-360-first-screen-${TEST_ENGINE}`);
    await context.close();
  });

  it('switches to English with the visible link, stays English on the next page, and switches back', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('link', { name: /English/ }).click();
    await page.waitForURL(/\?lang=en$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('main')).toContain('2,715,626 agreements');
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe('Most agreed petitions');
    expect(await scrollsSideways(page)).toBe(false);
    await visited(page);
    await saveScreenshot(page, `home-en-360-${TEST_ENGINE}`);

    // remembered: the search form has no lang, the cookie carries it
    await page.getByRole('searchbox').fill('n번방');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Results for “n번방”');
    expect(await page.getByRole('status').textContent()).toMatch(/^\d[\d,]* petitions$/);
    expect(await scrollsSideways(page)).toBe(false);
    await visited(page);
    await saveScreenshot(page, `search-en-360-${TEST_ENGINE}`);
    await saveFirstScreen(page, `search-en-360-first-screen-${TEST_ENGINE}`);

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/page=2/);
    await visited(page);

    await page.getByRole('link', { name: /한국어/ }).click();
    await page.waitForURL(/lang=ko/);
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('‘n번방’ 검색 결과');
    await context.close();
  });

  it('a keyboard user skips to the content with a visible focus ring, on a desktop in English', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'lang', value: 'en', url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/categories/human-rights-gender-equality`);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    const ring = await skip.evaluate((el) => {
      const style = getComputedStyle(el);
      return { outline: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow };
    });
    expect(ring.outline !== 'none' || ring.shadow !== 'none').toBe(true);
    await saveScreenshot(page, `category-en-skip-link-${TEST_ENGINE}`);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // the next stop after the content is a petition card's link, with its ring
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { cls: el.className, outline: style.outlineStyle, shadow: style.boxShadow };
    });
    expect(focused.outline !== 'none' || focused.shadow !== 'none').toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Petitions on Human rights & gender equality',
    );
    await visited(page);
    await saveScreenshot(page, `category-en-desktop-${TEST_ENGINE}`);
    await context.close();
  });

  it('shows the data sources and an error page in both languages at 360 px', async () => {
    const context = await phone();
    const page = await context.newPage();
    for (const lang of ['ko', 'en']) {
      await page.goto(`${server.url}/about/data?lang=${lang}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect(await scrollsSideways(page)).toBe(false);
      await visited(page);
      await saveScreenshot(page, `about-data-${lang}-360-${TEST_ENGINE}`);
      const res = await page.goto(`${server.url}/petitions/999999999`);
      expect(res?.status()).toBe(404);
      expect(await page.textContent('main')).toContain('petition_not_found');
      expect(await scrollsSideways(page)).toBe(false);
      await visited(page);
      await saveScreenshot(page, `error-${lang}-360-${TEST_ENGINE}`);
      // a refused search text: the message is announced and is the search box's description
      const refused = await page.goto(`${server.url}/search?q=%01`);
      expect(refused?.status()).toBe(400);
      const described = await page.getByRole('searchbox').evaluate((input: any) => ({
        invalid: input.getAttribute('aria-invalid'),
        description: document.getElementById(input.getAttribute('aria-describedby'))?.textContent,
        role: document.getElementById(input.getAttribute('aria-describedby'))?.getAttribute('role'),
      }));
      expect(described.invalid).toBe('true');
      expect(described.role).toBe('alert');
      expect(described.description).toMatch(lang === 'en' ? /at most 100 characters/ : /100자 이하/);
      expect(await scrollsSideways(page)).toBe(false);
      await visited(page);
      await saveScreenshot(page, `search-refused-${lang}-360-${TEST_ENGINE}`);
    }
    await context.close();
  });

  it('finds no accessibility violations on any page visited', () => {
    expect(violations).toEqual([]);
  });
});
