/**
 * Staff stories, in a real browser (Debian's Chromium through playwright-core) against the real `cheongwon serve`
 * in a child process: Mina (moderator) signs in with password and TOTP, checks out a petition from the queue and
 * publishes it; Seo (responder) signs in and publishes an official answer; the public petition page shows it.
 * axe-core checks every staff page visited; the queue's screenshot goes to test-artifacts/screenshots.
 */
import { URI } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../../src/commands/add-staff.js';
import type { StaffRole } from '../../src/db/schema.js';
import { searchColumns } from '../../src/domain/search-text.js';
import { axeViolations, launchChromium, saveScreenshot } from '../support/browser.js';
import { TEST_ENGINE } from '../support/databases.js';
import { type LiveServer, startLiveServer } from '../support/live-server.js';

/** The deployment secret live-server.ts gives `serve` (TOTP secrets are encrypted with it). */
const SECRET = 'live-test-secret-live-test-secret-0123456789';

interface Credentials {
  email: string;
  password: string;
  totpUri: string;
}

let server: LiveServer;
let browser: Browser;
let petitionId = '';
const people: Record<'mina' | 'seo', Credentials> = {} as never;
const violations: string[] = [];

beforeAll(async () => {
  server = await startLiveServer({
    prepare: async (db) => {
      const add = async (email: string, roles: StaffRole[]): Promise<Credentials> => {
        const c = await addStaff(db, {
          email,
          roles,
          secret: SECRET,
          actor: { staffId: null, name: 'cli:test' },
          now: new Date(),
        });
        return { email: c.email, password: c.initialPassword, totpUri: c.totpUri };
      };
      people.mina = await add('mina@cheongwon.test', ['moderator']);
      people.seo = await add('seo@cheongwon.test', ['responder']);
      const row = await db
        .insertInto('petitions')
        .values({
          profile: 'cheongwadae',
          category: 'childcare-education',
          title: '공공도서관 야간 개관을 늘려 주십시오',
          body: '퇴근 뒤에도 도서관을 이용할 수 있도록 평일 밤 10시까지 열어 주십시오.',
          ...searchColumns(
            '공공도서관 야간 개관을 늘려 주십시오',
            '퇴근 뒤에도 도서관을 이용할 수 있도록 평일 밤 10시까지 열어 주십시오.',
          ),
          state: 'in_review',
          review_started_at: new Date(Date.now() - 2 * 86_400_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      petitionId = row.id;
    },
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Checks the page with axe and keeps what it finds (asserted at the end of each story). */
async function check(page: Page): Promise<void> {
  violations.push(...(await axeViolations(page)));
}

/** Signs in on /staff/login with email, password and the authenticator's current code. */
async function signIn(page: Page, who: Credentials): Promise<void> {
  await page.goto(`${server.url}/staff/login`);
  await check(page);
  await page.getByLabel('이메일').fill(who.email);
  await page.getByLabel('비밀번호').fill(who.password);
  await page.getByLabel('인증 앱의 6자리 코드').fill(URI.parse(who.totpUri).generate());
  await Promise.all([
    page.waitForResponse((res) => res.request().method() === 'POST' && res.url().endsWith('/staff/login')),
    page.getByRole('button', { name: '로그인' }).click(),
  ]);
  await page.waitForLoadState('load');
  expect(page.url(), (await page.textContent('main')) ?? '').toBe(`${server.url}/staff`);
  expect(await page.textContent('main')).toContain(who.email);
  await check(page);
}

describe(`staff stories (${TEST_ENGINE})`, () => {
  it('Mina (moderator) signs in with password and TOTP, checks out the petition from the queue and publishes it', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await signIn(page, people.mina);

    await page.getByRole('link', { name: '검토 대기열' }).click();
    await page.waitForURL(`${server.url}/staff/queue`);
    expect(await page.textContent('h1')).toBe('검토 대기열');
    await check(page);
    await saveScreenshot(page, `staff-queue-${TEST_ENGINE}`);

    await page.getByRole('link', { name: /공공도서관 야간 개관/ }).click();
    await page.waitForURL(`${server.url}/staff/petitions/${petitionId}`);
    await check(page);
    await page.getByRole('button', { name: '검토 시작 (체크아웃)' }).click();
    await page.waitForURL(`${server.url}/staff/petitions/${petitionId}`);
    expect(await page.getByRole('status').textContent()).toContain('내가 검토 중입니다');
    await check(page);
    await page.getByRole('button', { name: '공개', exact: true }).click();
    await page.waitForURL(`${server.url}/staff/petitions/${petitionId}`);
    await check(page);

    const pub = await context.newPage();
    await pub.goto(`${server.url}/petitions/${petitionId}`);
    expect(await pub.textContent('h1')).toBe('공공도서관 야간 개관을 늘려 주십시오');
    await context.close();
    expect(violations).toEqual([]);
  }, 120_000);

  it('Seo (responder) signs in and publishes an answer; the public petition page shows it', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await signIn(page, people.seo);

    await page.getByRole('link', { name: '답변 대기' }).click();
    await page.waitForURL(`${server.url}/staff/responses`);
    await check(page);
    await page.goto(`${server.url}/staff/responses/new?petitions=${petitionId}`);
    await check(page);
    expect(await page.getByLabel('답변할 청원 번호').inputValue()).toBe(petitionId);
    await page.getByLabel('제목').fill('공공도서관 야간 개관 청원 답변');
    await page
      .getByLabel('답변 본문')
      .fill('안녕하십니까.\n\n내년부터 **평일 밤 10시**까지 여는 도서관을 늘리겠습니다.');
    await page.getByLabel('영상 주소').fill('https://video.example/library');
    await page.getByLabel('자막·대본 주소').fill('https://video.example/library.vtt');
    await page.getByLabel('답변자 이름').fill('김민수');
    await page.getByLabel('답변자 직책').fill('디지털소통센터장');
    await page.getByRole('button', { name: '게시', exact: true }).click();
    await page.waitForURL(/\/staff\/responses\/drafts\?published=/);
    expect(await page.getByRole('status').textContent()).toContain('답변을 게시했습니다');
    await check(page);

    await page.goto(`${server.url}/petitions/${petitionId}`);
    const answer = (await page.locator('section.official-response').innerHTML()) ?? '';
    expect(answer).toContain('공공도서관 야간 개관 청원 답변');
    expect(answer).toContain('<strong>평일 밤 10시</strong>');
    expect(answer).toContain('디지털소통센터장 김민수');
    await context.close();
    expect(violations).toEqual([]);
  }, 120_000);
});
