import { escapeHtml, htmlDocument, oneLine, shorten } from './text.js';

export interface AgreementConfirmationInput {
  /** 'ko' (default language of the platform) or 'en'. */
  locale: 'ko' | 'en';
  /** How the person is greeted; blank → a greeting without a name. */
  displayName: string;
  petitionTitle: string;
  /** The http(s) link that confirms the agreement. */
  confirmUrl: string;
  /** Whole hours until the link expires (≥ 1). */
  expiresInHours: number;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The mail that asks a person to confirm their agreement (동의) to a petition, in Korean (합쇼체) or English.
 *
 * What it says, in this order: a greeting (with the person's name when given); that an agreement to the petition
 * (its title) was requested; the link to open to confirm it; that the agreement is not counted without
 * confirmation; that the link expires in N hours; that someone who did not ask for this can ignore the mail.
 * Subject: `청원 동의 확인: <title>` / `Confirm your agreement: <title>` (title shortened to 60 characters).
 *
 * Plain-text and HTML parts say the same. The HTML is a bare document: every interpolated value is escaped (titles
 * and names are user text), the link is shown as its own address (no hidden destination), and there are no
 * images, no remote resources, no tracking and no JavaScript. User text is put on one line (line breaks and
 * control characters become spaces) and the name is cut to 40 characters, so neither can reshape the mail.
 *
 * @throws RangeError for an expiry that is not a whole number of hours ≥ 1, or a link that is not http(s).
 */
export function agreementConfirmationMail(input: AgreementConfirmationInput): RenderedMail {
  if (!Number.isInteger(input.expiresInHours) || input.expiresInHours < 1) {
    throw new RangeError('expiresInHours must be a whole number of hours, at least 1');
  }
  let url: URL;
  try {
    url = new URL(input.confirmUrl);
  } catch {
    throw new RangeError('confirmUrl must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RangeError('confirmUrl must be an absolute http(s) URL');
  }
  const v: Values = {
    name: shorten(oneLine(input.displayName), 40),
    title: oneLine(input.petitionTitle),
    url: input.confirmUrl,
    hours: input.expiresInHours,
  };
  const copy = input.locale === 'en' ? english(v) : korean(v);
  const subject = copy.subject(shorten(v.title, 60));
  const text = `${[
    copy.greeting,
    copy.requested,
    `${copy.petitionLabel}: ${v.title}`,
    `${copy.openLink}\n${v.url}`,
    `${copy.notCounted} ${copy.expires}`,
    copy.ignore,
    copy.signature,
  ].join('\n\n')}\n`;
  const e = escapeHtml;
  const html = htmlDocument(input.locale === 'en' ? 'en' : 'ko', subject, [
    `<p>${e(copy.greeting)}</p>`,
    `<p>${e(copy.requested)}</p>`,
    `<p>${e(copy.petitionLabel)}: <strong>${e(v.title)}</strong></p>`,
    `<p>${e(copy.openLink)}<br><a href="${e(v.url)}">${e(v.url)}</a></p>`,
    `<p>${e(copy.notCounted)} ${e(copy.expires)}</p>`,
    `<p>${e(copy.ignore)}</p>`,
    `<p>${e(copy.signature)}</p>`,
  ]);
  return { subject, text, html };
}

interface Values {
  name: string;
  title: string;
  url: string;
  hours: number;
}

interface Copy {
  subject(title: string): string;
  greeting: string;
  requested: string;
  petitionLabel: string;
  openLink: string;
  notCounted: string;
  expires: string;
  ignore: string;
  signature: string;
}

function korean(v: Values): Copy {
  return {
    subject: (title) => `청원 동의 확인: ${title}`,
    greeting: v.name ? `${v.name} 님, 안녕하십니까.` : '안녕하십니까.',
    requested: '다음 청원에 대한 동의 요청을 받았습니다.',
    petitionLabel: '청원',
    openLink: '동의를 확인하시려면 아래 링크를 열어 주십시오.',
    notCounted: '확인하지 않으시면 동의가 집계되지 않습니다.',
    expires: `이 링크는 ${v.hours}시간 후에 만료됩니다.`,
    ignore: '본인이 요청하지 않으셨다면 이 메일을 무시하셔도 됩니다.',
    signature: '청원(Cheongwon)',
  };
}

function english(v: Values): Copy {
  return {
    subject: (title) => `Confirm your agreement: ${title}`,
    greeting: v.name ? `Hello ${v.name},` : 'Hello,',
    requested: 'We received a request to add your agreement to this petition.',
    petitionLabel: 'Petition',
    openLink: 'To confirm your agreement, open this link:',
    notCounted: 'Your agreement is not counted until you confirm it.',
    expires: `The link expires in ${v.hours} ${v.hours === 1 ? 'hour' : 'hours'}.`,
    ignore: 'If you did not ask for this, you can ignore this email.',
    signature: 'Cheongwon (청원)',
  };
}
