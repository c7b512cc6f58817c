import { IntlMessageFormat } from 'intl-messageformat';
import type { RenderedMail } from './agreement-confirmation.js';
import { escapeHtml, htmlDocument, oneLine, shorten } from './text.js';

/** The kinds of notification mail; signer kinds go to every opted-in signer, creator kinds to the creator. */
export const SIGNER_KINDS = [
  'signers.threshold_reached',
  'signers.answered',
  'signers.debate_scheduled',
  'signers.debate_outcome',
  'signers.committee_stage',
] as const;
export const CREATOR_KINDS = [
  'creator.pre_agreement_progress',
  'creator.review_decision',
  'creator.threshold_reached',
  'creator.answered',
  'creator.closed',
  'creator.lapsed',
  'creator.debate_scheduled',
  'creator.debate_outcome',
  'creator.committee_stage',
] as const;
export type SignerKind = (typeof SIGNER_KINDS)[number];
export type CreatorKind = (typeof CREATOR_KINDS)[number];
export type NotificationKind = SignerKind | CreatorKind;

/** The moderation decisions a creator is told about (`creator.review_decision`). */
export const REVIEW_DECISION_NOTICES = [
  'published',
  'rejected',
  'hidden',
  'hidden_in_part',
  'unhidden',
  'restored',
  'taken_down',
  'edited',
] as const;
export type ReviewDecisionNotice = (typeof REVIEW_DECISION_NOTICES)[number];

/**
 * Decisions that may happen more than once to a petition (hiding, partial hiding and un-hiding), so each one is
 * told: their outbox dedupe key carries the decision's id. Publication and rejection happen once.
 */
export const REPEATABLE_DECISION_NOTICES = [
  'hidden',
  'hidden_in_part',
  'unhidden',
  'restored',
  'taken_down',
  'edited',
] as const satisfies readonly ReviewDecisionNotice[];

/** True for a decision that may repeat (`REPEATABLE_DECISION_NOTICES`). */
export function isRepeatableDecision(decision: ReviewDecisionNotice): boolean {
  return (REPEATABLE_DECISION_NOTICES as readonly ReviewDecisionNotice[]).includes(decision);
}

export function isSignerKind(kind: string): kind is SignerKind {
  return (SIGNER_KINDS as readonly string[]).includes(kind);
}
export function isCreatorKind(kind: string): kind is CreatorKind {
  return (CREATOR_KINDS as readonly string[]).includes(kind);
}

export interface NotificationMailInput {
  kind: NotificationKind;
  /** The recipient's language: the agreement's locale for signers, the creator's for creators. */
  locale: 'ko' | 'en';
  /** Greeting name; blank → a greeting without a name. */
  displayName: string;
  petitionTitle: string;
  /** Absolute http(s) URL of the petition page. */
  petitionUrl: string;
  /** Absolute http(s) URL of the unsubscribe page (works without signing in). */
  unsubscribeUrl: string;
  /** Agreements (threshold kinds, progress). */
  count?: number | undefined;
  /** The threshold the count is measured against (response threshold, or pre-agreements for progress). */
  threshold?: number | undefined;
  /** Last allowed local day of the response ('YYYY-MM-DD'), null/absent = no fixed deadline. */
  dueOn?: string | null | undefined;
  /** creator.pre_agreement_progress: percent reached (50, 100). */
  milestone?: number | undefined;
  /** creator.review_decision. */
  decision?: ReviewDecisionNotice | undefined;
  reason?: string | null | undefined;
  /**
   * Parliamentary tracks: the debate's date (`on`), whether it was debated, the public summary or reason (`note`),
   * the committee's name and the stage reached.
   */
  track?:
    | { stage: string; on: string | null; note: string | null; bodyName: string | null; debated?: boolean }
    | undefined;
  /** *.answered: who answered and when (local date). */
  response?:
    | {
        title: string | null;
        responderName: string | null;
        responderTitle: string | null;
        publishedOn: string;
      }
    | undefined;
}

/** English sentences with counts, through ICU plural rules ('1 supporter', '2 supporters'). */
const SUPPORTERS_LAPSED_EN = new IntlMessageFormat(
  'Within the time allowed, {count, plural, one {# supporter} other {# supporters}} of the {threshold, number} it needed agreed, so the petition ended without being published.',
  'en-GB',
);
const SUPPORTERS_PROGRESS_EN = new IntlMessageFormat(
  'Your petition has {count, plural, one {# supporter} other {# supporters}}: {milestone}% of the {threshold, number} it needs.',
  'en-GB',
);

const numberKo = new Intl.NumberFormat('ko-KR');
const numberEn = new Intl.NumberFormat('en-GB');

/**
 * A notification mail in Korean (합쇼체) or English: plain-text and HTML parts saying the same thing, the petition's
 * link, and an unsubscribe link at the end (the worker also sets the List-Unsubscribe headers, RFC 2369/8058).
 *
 * The HTML is a bare document: every interpolated value is escaped (titles, names, reasons are user or staff
 * text), links are shown as their own address, and there are no images, no remote resources, no tracking pixels
 * and no JavaScript. User text is put on one line and names are cut to 40 characters so they cannot reshape the
 * mail. Subjects carry the petition title shortened to 60 characters.
 *
 * @throws RangeError for a link that is not absolute http(s), or a kind missing the values it needs
 *   (progress without `milestone`, review decision without `decision`)
 */
export function notificationMail(input: NotificationMailInput): RenderedMail {
  for (const url of [input.petitionUrl, input.unsubscribeUrl]) checkUrl(url);
  const ko = input.locale !== 'en';
  const name = shorten(oneLine(input.displayName), 40);
  const title = oneLine(input.petitionTitle);
  const short = shorten(title, 60);
  const n = (x: number | undefined) => (x === undefined ? '' : (ko ? numberKo : numberEn).format(x));
  const body: string[] = [];
  let subject: string;
  const due = input.dueOn
    ? ko
      ? `답변 기한은 ${input.dueOn}까지입니다.`
      : `The response is due by ${input.dueOn}.`
    : ko
      ? ''
      : '';
  const answeredBy = (r: NonNullable<NotificationMailInput['response']>) => {
    const who = oneLine([r.responderTitle, r.responderName].filter(Boolean).join(' '));
    if (ko)
      return who
        ? `${who}이(가) ${r.publishedOn}에 답변했습니다.`
        : `${r.publishedOn}에 답변이 게시되었습니다.`;
    return who ? `${who} answered on ${r.publishedOn}.` : `An answer was published on ${r.publishedOn}.`;
  };
  switch (input.kind) {
    case 'signers.threshold_reached':
    case 'creator.threshold_reached':
      subject = ko ? `답변 기준 도달: ${short}` : `Petition reached its threshold: ${short}`;
      body.push(
        input.kind === 'creator.threshold_reached'
          ? ko
            ? '올리신 청원이 답변 기준에 도달했습니다.'
            : 'Your petition has reached the number of agreements that obliges an official response.'
          : ko
            ? '동의하신 청원이 답변 기준에 도달했습니다.'
            : 'A petition you agreed to has reached the number of agreements that obliges an official response.',
        ko
          ? `참여인원 ${n(input.count)}명 (기준 ${n(input.threshold)}명). ${due}`.trim()
          : `${n(input.count)} agreements (threshold ${n(input.threshold)}). ${due}`.trim(),
        ko ? '답변이 게시되면 다시 알려 드리겠습니다.' : 'We will let you know when it is answered.',
      );
      break;
    case 'signers.answered':
    case 'creator.answered':
      subject = ko ? `청원 답변: ${short}` : `Your petition has been answered: ${short}`;
      if (input.kind === 'signers.answered' && !ko)
        subject = `A petition you agreed to has been answered: ${short}`;
      if (!input.response) throw new RangeError('an answered notification needs `response`');
      body.push(
        input.kind === 'creator.answered'
          ? ko
            ? '올리신 청원에 공식 답변이 게시되었습니다.'
            : 'An official response to your petition has been published.'
          : ko
            ? '동의하신 청원에 공식 답변이 게시되었습니다.'
            : 'An official response to a petition you agreed to has been published.',
        answeredBy(input.response),
        ko ? '답변 전문은 청원 페이지에서 보실 수 있습니다.' : 'Read the full response on the petition page.',
      );
      break;
    case 'signers.debate_scheduled':
    case 'creator.debate_scheduled':
      subject = ko ? `의회 토론 일정: ${short}` : `Parliament will debate this petition: ${short}`;
      body.push(
        ko
          ? `청원이 ${input.track?.on ?? ''}에 의회에서 토론될 예정입니다.`
          : `Parliament will debate this petition on ${input.track?.on ?? ''}.`,
        ko
          ? '토론 결과가 나오면 다시 알려 드리겠습니다.'
          : 'We will email you again when the debate has happened.',
      );
      break;
    case 'signers.debate_outcome':
    case 'creator.debate_outcome': {
      const debated = input.track?.debated === true;
      subject = debated
        ? ko
          ? `의회가 청원을 토론했습니다: ${short}`
          : `Parliament debated this petition: ${short}`
        : ko
          ? `의회가 청원을 토론하지 않기로 했습니다: ${short}`
          : `Parliament decided not to debate this petition: ${short}`;
      if (debated) {
        body.push(
          ko
            ? `의회가 ${input.track?.on ?? ''}에 이 청원을 토론했습니다.`
            : `Parliament debated this petition on ${input.track?.on ?? ''}.`,
        );
      }
      if (input.track?.note) body.push(oneLine(input.track.note));
      body.push(
        ko
          ? '영상, 속기록, 연구 자료는 청원 페이지에서 보실 수 있습니다.'
          : 'The video, transcript and research are linked from the petition page.',
      );
      break;
    }
    case 'signers.committee_stage':
    case 'creator.committee_stage': {
      const stage = input.track?.stage ?? '';
      const committee = input.track?.bodyName ? oneLine(input.track.bodyName) : '';
      subject = ko
        ? `국민동의청원 심사 경과: ${short}`
        : `Progress of the petition in the Assembly: ${short}`;
      body.push(
        stage === 'referred'
          ? ko
            ? `청원이 ${committee}에 회부되었습니다.`
            : `The petition has been referred to the ${committee}.`
          : stage === 'under_review'
            ? ko
              ? '위원회가 청원 심사를 시작했습니다.'
              : 'The committee has started to review the petition.'
            : stage === 'decided'
              ? ko
                ? '위원회가 청원 심사를 마쳤습니다.'
                : 'The committee has decided on the petition.'
              : ko
                ? '국회의원 임기가 끝나 청원 심사가 종료되었습니다 (임기만료폐기).'
                : "The petition's review ended with the National Assembly's term.",
      );
      if (input.track?.note) body.push(oneLine(input.track.note));
      break;
    }
    case 'creator.closed': {
      const reached =
        input.count !== undefined && input.threshold !== undefined && input.count >= input.threshold;
      subject = ko ? `청원 마감: ${short}` : `Your petition has closed: ${short}`;
      body.push(
        ko
          ? `올리신 청원의 동의 기간이 끝났습니다. 최종 참여인원은 ${n(input.count)}명입니다.`
          : `The agreement period of your petition has ended with ${n(input.count)} ${input.count === 1 ? 'agreement' : 'agreements'}.`,
        reached
          ? ko
            ? `기준(${n(input.threshold)}명)에 도달했으므로 공식 답변을 받게 됩니다. ${due}`.trim()
            : `It reached the threshold of ${n(input.threshold)}, so it will receive an official response. ${due}`.trim()
          : ko
            ? `기준(${n(input.threshold)}명)에는 이르지 못했습니다. 참여해 주신 모든 분께 감사드립니다.`
            : `It did not reach the threshold of ${n(input.threshold)}. Thank you to everyone who took part.`,
      );
      break;
    }
    case 'creator.lapsed':
      subject = ko
        ? `사전동의 기간 만료: ${short}`
        : `Your petition did not get enough supporters in time: ${short}`;
      body.push(
        ko
          ? `사전동의 기간 안에 필요한 ${n(input.threshold)}명 중 ${n(input.count)}명이 동의하여, 청원이 공개되지 않고 종료되었습니다.`
          : String(SUPPORTERS_LAPSED_EN.format({ count: input.count ?? 0, threshold: input.threshold ?? 0 })),
        ko
          ? '같은 내용으로 새 청원을 작성하실 수 있습니다.'
          : 'You may start a new petition with the same text.',
      );
      break;
    case 'creator.pre_agreement_progress':
      if (input.milestone === undefined) throw new RangeError('progress needs `milestone`');
      subject = ko
        ? `사전동의 ${input.milestone}% 달성: ${short}`
        : `${input.milestone}% of supporters reached: ${short}`;
      body.push(
        ko
          ? `올리신 청원의 사전동의가 ${n(input.count)}명으로, 필요한 ${n(input.threshold)}명의 ${input.milestone}%에 이르렀습니다.`
          : String(
              SUPPORTERS_PROGRESS_EN.format({
                count: input.count ?? 0,
                milestone: input.milestone,
                threshold: input.threshold ?? 0,
              }),
            ),
        input.milestone >= 100
          ? ko
            ? '이제 청원은 검토를 거쳐 공개됩니다. 결과를 메일로 알려 드리겠습니다.'
            : 'It will now be checked by a moderator before it is published. We will email you the decision.'
          : ko
            ? '사전동의 링크를 더 많은 분께 알려 주십시오.'
            : 'Keep sharing your supporter link.',
      );
      break;
    case 'creator.review_decision': {
      if (input.decision === undefined) throw new RangeError('a review decision needs `decision`');
      const reason = input.reason ? oneLine(input.reason) : '';
      if (input.decision === 'published') {
        subject = ko ? `청원 공개: ${short}` : `Your petition has been published: ${short}`;
        body.push(
          ko
            ? '검토를 마치고 청원이 공개되었습니다. 이제 누구나 동의할 수 있습니다.'
            : 'Your petition has been checked and published. Anyone can now agree to it.',
        );
      } else if (input.decision === 'rejected') {
        subject = ko ? `청원 비공개 결정: ${short}` : `Your petition was not published: ${short}`;
        body.push(
          ko
            ? '검토 결과 청원을 공개하지 않기로 결정했습니다.'
            : 'After checking your petition, we decided not to publish it.',
        );
      } else if (input.decision === 'hidden') {
        subject = ko ? `청원 숨김: ${short}` : `Your petition has been hidden: ${short}`;
        body.push(
          ko
            ? '운영 기준에 따라 청원을 공개 목록과 페이지에서 숨겼습니다. 그동안 받은 동의는 그대로 보관됩니다.'
            : 'Under the site’s rules your petition has been hidden from lists and its page. The agreements it ' +
                'received are kept.',
        );
      } else if (input.decision === 'hidden_in_part') {
        subject = ko ? `청원 일부 숨김: ${short}` : `Part of your petition has been hidden: ${short}`;
        body.push(
          ko
            ? '운영 기준에 따라 청원의 일부 내용을 숨기고 안내 문구로 바꾸었습니다 (개인정보나 피해자를 보호하기 위한 경우가 대부분입니다). 청원은 계속 공개되고 동의를 받습니다.'
            : 'Under the site’s rules some passages of your petition have been hidden and replaced by a notice ' +
                '(most often to protect personal data or a victim). The petition stays public and open to agreement.',
        );
      } else if (input.decision === 'restored') {
        subject = ko
          ? `청원 비공개 결정 취소: ${short}`
          : `The decision on your petition was reversed: ${short}`;
        body.push(
          ko
            ? '청원을 공개하지 않기로 한 결정을 취소했습니다. 청원은 다시 검토되거나 이전 상태로 돌아갑니다.'
            : 'We reversed the decision to reject your petition. It goes back to moderation, or to where it was.',
        );
      } else if (input.decision === 'taken_down') {
        subject = ko ? `청원 게시 중단: ${short}` : `Your petition has been taken down: ${short}`;
        body.push(
          ko
            ? '운영 기준에 따라 게시된 청원을 내렸습니다. 청원 페이지에는 사유가 공개됩니다.'
            : 'Under the site’s standards your published petition has been taken down. Its page shows the reason.',
        );
      } else if (input.decision === 'edited') {
        subject = ko
          ? `검토자가 청원을 수정했습니다: ${short}`
          : `We made changes to your petition: ${short}`;
        body.push(
          ko
            ? '공개 기준에 맞도록 검토자가 청원의 글을 고쳤습니다. 고친 글은 청원 페이지에서 보실 수 있습니다.'
            : 'A moderator changed the text of your petition so that it meets the standards. You can read the changed text on the petition page once it is published.',
        );
      } else {
        subject = ko ? `청원 다시 공개: ${short}` : `Your petition is visible again: ${short}`;
        body.push(
          ko ? '숨겼던 청원을 다시 공개했습니다.' : 'Your petition, which had been hidden, is visible again.',
        );
      }
      if (reason) body.push(ko ? `사유: ${reason}` : `Reason: ${reason}`);
      break;
    }
  }
  const greeting = ko
    ? name
      ? `${name} 님, 안녕하십니까.`
      : '안녕하십니까.'
    : name
      ? `Hello ${name},`
      : 'Hello,';
  const petitionLabel = ko ? '청원' : 'Petition';
  const openLabel = ko ? '청원 보기:' : 'View the petition:';
  const unsubscribeLabel = ko
    ? '이 청원에 관한 알림을 더 받지 않으려면 다음 링크를 여십시오 (로그인하지 않아도 됩니다):'
    : 'To stop notifications about this petition, open this link (no sign-in needed):';
  const signature = ko ? '청원(Cheongwon)' : 'Cheongwon (청원)';
  const text = `${[
    greeting,
    ...body,
    `${petitionLabel}: ${title}`,
    `${openLabel}\n${input.petitionUrl}`,
    signature,
    `--\n${unsubscribeLabel}\n${input.unsubscribeUrl}`,
  ].join('\n\n')}\n`;
  const e = escapeHtml;
  const html = htmlDocument(ko ? 'ko' : 'en', subject, [
    `<p>${e(greeting)}</p>`,
    ...body.map((p) => `<p>${e(p)}</p>`),
    `<p>${e(petitionLabel)}: <strong>${e(title)}</strong></p>`,
    `<p>${e(openLabel)}<br><a href="${e(input.petitionUrl)}">${e(input.petitionUrl)}</a></p>`,
    `<p>${e(signature)}</p>`,
    '<hr>',
    `<p><small>${e(unsubscribeLabel)}<br><a href="${e(input.unsubscribeUrl)}">${e(input.unsubscribeUrl)}</a></small></p>`,
  ]);
  return { subject, text, html };
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError('links in mail must be absolute http(s) URLs');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new RangeError('links in mail must be absolute http(s) URLs');
  }
}
