import type { RenderedMail } from './agreement-confirmation.js';
import { escapeHtml, htmlDocument, oneLine, shorten } from './text.js';

/**
 * The two mails of petition creation, in Korean (합쇼체) or English. Same construction as the agreement
 * confirmation mail: plain text and a bare HTML part saying the same, every interpolated value escaped, user text
 * on one line, links shown as their own address; no images, remote resources, tracking or JavaScript.
 */

/** Whole hours ≥ 1 and an absolute http(s) link, or a RangeError. */
function checkLink(url: string, hours?: number): void {
  if (hours !== undefined && (!Number.isInteger(hours) || hours < 1))
    throw new RangeError('expiresInHours must be a whole number of hours, at least 1');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError('the link must be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new RangeError('the link must be an absolute http(s) URL');
}

function render(locale: 'ko' | 'en', subject: string, paragraphs: string[], link: string): RenderedMail {
  const text = `${paragraphs.map((p) => (p === '{link}' ? link : p)).join('\n\n')}\n`;
  const e = escapeHtml;
  const html = htmlDocument(locale, subject, [
    ...paragraphs.map((p) =>
      p === '{link}' ? `<p><a href="${e(link)}">${e(link)}</a></p>` : `<p>${e(p)}</p>`,
    ),
  ]);
  return { subject, text, html };
}

/**
 * Asks a creator who is not signed in to confirm their petition: opening the link shows a page with a button,
 * pressing it moves the petition from draft to collecting pre-agreements (사전동의) and gives the private link.
 * Subject: `청원 등록 확인: <title>` / `Confirm your petition: <title>` (title shortened to 60 characters).
 * @throws RangeError for an expiry that is not whole hours ≥ 1 or a link that is not http(s)
 */
export function petitionConfirmationMail(input: {
  locale: 'ko' | 'en';
  displayName: string;
  petitionTitle: string;
  confirmUrl: string;
  expiresInHours: number;
}): RenderedMail {
  checkLink(input.confirmUrl, input.expiresInHours);
  const name = shorten(oneLine(input.displayName), 40);
  const title = oneLine(input.petitionTitle);
  const h = input.expiresInHours;
  if (input.locale === 'en') {
    return render(
      'en',
      `Confirm your petition: ${shorten(title, 60)}`,
      [
        name ? `Hello ${name},` : 'Hello,',
        `You asked to start this petition: ${title}`,
        'To confirm it, open this link and press the button on the page:',
        '{link}',
        `Nothing is published until you confirm. The link expires in ${h} ${h === 1 ? 'hour' : 'hours'}; an unconfirmed petition is then deleted with your name and address.`,
        'If you did not ask for this, you can ignore this email.',
        'Cheongwon (청원)',
      ],
      input.confirmUrl,
    );
  }
  return render(
    'ko',
    `청원 등록 확인: ${shorten(title, 60)}`,
    [
      name ? `${name} 님, 안녕하십니까.` : '안녕하십니까.',
      `다음 청원의 등록을 요청하셨습니다: ${title}`,
      '등록을 확인하시려면 아래 링크를 열고 화면의 단추를 눌러 주십시오.',
      '{link}',
      `확인하기 전에는 아무것도 공개되지 않습니다. 이 링크는 ${h}시간 후에 만료되며, 확인되지 않은 청원은 이름·주소와 함께 삭제됩니다.`,
      '본인이 요청하지 않으셨다면 이 메일을 무시하셔도 됩니다.',
      '청원(Cheongwon)',
    ],
    input.confirmUrl,
  );
}

/**
 * Gives the creator the private pre-agreement link (사전동의 링크) to share: who opens it can agree before the
 * petition is published; at `threshold` pre-agreements it goes to moderation.
 * Subject: `사전동의 링크: <title>` / `Your link for supporters: <title>`.
 * @throws RangeError for a link that is not http(s)
 */
export function sponsorLinkMail(input: {
  locale: 'ko' | 'en';
  displayName: string;
  petitionTitle: string;
  sponsorUrl: string;
  threshold: number;
}): RenderedMail {
  checkLink(input.sponsorUrl);
  const name = shorten(oneLine(input.displayName), 40);
  const title = oneLine(input.petitionTitle);
  const n = input.threshold;
  if (input.locale === 'en') {
    return render(
      'en',
      `Your link for supporters: ${shorten(title, 60)}`,
      [
        name ? `Hello ${name},` : 'Hello,',
        `Your petition is confirmed: ${title}`,
        `Share this private link with people who support it. When ${n.toLocaleString('en')} of them have agreed through it, the petition goes to moderation and, if it follows the rules, is published.`,
        '{link}',
        'Anyone with the link can read the petition and agree, so share it only with people you choose. We will email you about its progress.',
        'Cheongwon (청원)',
      ],
      input.sponsorUrl,
    );
  }
  return render(
    'ko',
    `사전동의 링크: ${shorten(title, 60)}`,
    [
      name ? `${name} 님, 안녕하십니까.` : '안녕하십니까.',
      `청원 등록이 확인되었습니다: ${title}`,
      `아래 사전동의 링크를 지지하는 분들께 알려 주십시오. 이 링크로 ${n.toLocaleString('ko')}명이 동의하면 청원은 검토를 거쳐, 운영 원칙에 맞으면 공개됩니다.`,
      '{link}',
      '링크를 가진 사람은 누구나 청원을 읽고 동의할 수 있으니 알릴 분께만 전해 주십시오. 진행 상황은 메일로 알려 드립니다.',
      '청원(Cheongwon)',
    ],
    input.sponsorUrl,
  );
}
