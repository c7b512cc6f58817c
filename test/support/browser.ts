import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; `.ci/run` installs it). Browsers are never downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where screenshots go: test artifacts, kept out of git (.gitignore). */
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');

/** The flags every headless Chromium of ours starts with (no background traffic on a closed network). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches Debian's Chromium headless through playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/**
 * Runs axe-core on the page as it is now (WCAG 2.0, 2.1 and 2.2 A and AA rules) and returns the violations as
 * readable lines (`rule: target — help`), empty when there are none.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help} (${page.url()})`),
  );
}

/** The accessibility checks of one story file: every page visited is checked, and one test at the end reports all. */
export interface AxeLedger {
  /** Runs axe on the page as it is now ({@link axeViolations}) and keeps what it found. */
  visited(page: Page): Promise<void>;
  /** The violations found so far, one readable line each, in the order the pages were visited. */
  violations: string[];
}

/** A fresh {@link AxeLedger}: call `visited(page)` on each page a story opens, and expect `violations` to be empty. */
export function axeLedger(): AxeLedger {
  const violations: string[] = [];
  return {
    violations,
    visited: async (page) => {
      violations.push(...(await axeViolations(page)));
    },
  };
}

/**
 * The agreement count a petition page shows in its large counter (`.count-large`: "1,234명", "1,234 agreements"),
 * as a number. NaN when the page has no counter.
 */
export async function countShown(page: Page): Promise<number> {
  const text = (await page.locator('.count-large').first().textContent()) ?? '';
  return text.trim() === '' ? Number.NaN : Number(text.replace(/[^0-9]/g, ''));
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(ARTIFACTS, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
