import { z } from 'zod';
import { DomainError } from './errors.js';
import {
  canResponseTransition,
  isAnswerable,
  isPetitionState,
  isResponseDue,
  type ResponseState,
} from './petition-states.js';
import { isRecordNumber } from './record-numbers.js';

/**
 * The rules of an official response (답변) written on this platform: what a valid answer is, who may be recorded as
 * its author, which petitions it may cover and what publishing it does to a petition's response track. Pure: the
 * use cases (src/commands/*-response.ts, link-petitions.ts) lock, store and notify.
 */

/** Largest answer body (characters); the longest Blue House answers in the archive are about 15,000. */
export const MAX_ANSWER_BODY = 50_000;

/** Who acts: a staff account (`staffId`) and/or a label recorded with the revision (e.g. 'cli:kim'). */
export interface ResponseActor {
  staffId?: string | null;
  /** 1–200 characters, shown to staff in the revision history. */
  label: string;
}

/** The content of an answer. Texts are trimmed; blank optional fields become null. */
export interface ResponseContent {
  /** Heading of the answer (e.g. '텔레그램 n번방 사건 관련 청원 답변'), ≤ 200 characters. */
  title?: string | null | undefined;
  /** One-paragraph summary, ≤ 1,000 characters. */
  summary?: string | null | undefined;
  /**
   * Markdown (see presenters/answer-markdown.ts: html off, no images, http(s) links only), 1–50,000 characters.
   */
  body: string;
  /** The answering official's name ('강정수'), 1–100 characters. */
  responderName: string;
  /** Their title ('디지털소통센터장'), 1–100 characters. */
  responderTitle: string;
  /** https URL of the hosted video of the answer, or null. */
  videoUrl?: string | null | undefined;
  /** https URL of its captions or transcript (only with a video), or null. */
  videoCaptionUrl?: string | null | undefined;
}

// text without NUL and other control characters except tab and line breaks
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\uFFFD]/;
const text = (max: number, label: string) =>
  z
    .string({ error: `${label}: 글자로 입력하십시오.` })
    .transform((s) => s.replace(/\r\n?/g, '\n').trim())
    .refine((s) => !CONTROL.test(s), `${label}: 제어 문자나 깨진 글자(U+FFFD)가 들어 있습니다.`)
    .refine((s) => [...s].length <= max, `${label}: ${max.toLocaleString('en')}자까지 쓸 수 있습니다.`);
const optionalText = (max: number, label: string) =>
  text(max, label)
    .nullish()
    .transform((s) => (s ? s : null));
const httpsUrl = (label: string) =>
  z
    .string({ error: `${label}: 주소를 글자로 입력하십시오.` })
    .trim()
    .max(2000, `${label}: 주소가 너무 깁니다.`)
    .refine((s) => {
      if (s === '') return true; // an empty form field: no address
      try {
        const u = new URL(s);
        return u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '';
      } catch {
        return false;
      }
    }, `${label}: https:// 로 시작하는 주소여야 합니다.`)
    .nullish()
    .transform((s) => (s ? s : null));

const contentSchema = z
  .strictObject({
    title: optionalText(200, '제목'),
    summary: optionalText(1000, '요약'),
    body: text(MAX_ANSWER_BODY, '답변 본문').refine((s) => s.length > 0, '답변 본문: 내용을 입력하십시오.'),
    responderName: text(100, '답변자 이름').refine((s) => s.length > 0, '답변자 이름: 입력하십시오.'),
    responderTitle: text(100, '답변자 직책').refine((s) => s.length > 0, '답변자 직책: 입력하십시오.'),
    videoUrl: httpsUrl('영상 주소'),
    videoCaptionUrl: httpsUrl('자막·대본 주소'),
  })
  .refine((c) => c.videoCaptionUrl === null || c.videoUrl !== null, {
    message: '자막·대본 주소: 영상 주소와 함께만 넣을 수 있습니다.',
    path: ['videoCaptionUrl'],
  });

/** An answer's content once validated: trimmed texts, blank optional fields as null. */
export type ParsedContent = z.output<typeof contentSchema>;

/**
 * Validates an answer's content.
 * @throws DomainError('invalid_parameter') with details `{ fields: [name…], messages: { name: message } }` naming
 *   each bad field (names as in `ResponseContent`) and what is wrong with it
 */
export function parseResponseContent(input: unknown): ParsedContent {
  const parsed = contentSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? 'content')] ??= issue.message;
  throw new DomainError(
    'invalid_parameter',
    `답변 내용이 올바르지 않습니다: ${Object.values(fields).join(' ')}`,
    { fields: Object.keys(fields), messages: fields },
  );
}

/**
 * Checks the actor's label: 1–200 characters after trimming, no control characters.
 * @throws DomainError('invalid_parameter') with details `{ fields: ['actor'] }`
 */
export function checkResponseActor(actor: ResponseActor): void {
  const label = actor.label?.trim() ?? '';
  if (label.length < 1 || label.length > 200 || CONTROL.test(label)) {
    throw new DomainError('invalid_parameter', '작성자 표시(actor)는 1–200자의 글자여야 합니다.', {
      fields: ['actor'],
    });
  }
}

/**
 * The petitions an answer is to cover, without duplicates (trimmed, in the order given).
 * @throws DomainError('invalid_parameter') with details `{ fields: ['petitions'] }` unless there are 1–100 of them,
 *   each a record number
 */
export function checkAnsweredPetitionIds(ids: readonly string[]): string[] {
  const unique = [...new Set(ids.map((id) => String(id).trim()))];
  if (unique.length === 0 || unique.length > 100 || unique.some((id) => !isRecordNumber(id))) {
    throw new DomainError('invalid_parameter', '답변할 청원 번호를 1–100개, 1 이상의 정수로 주십시오.', {
      fields: ['petitions'],
    });
  }
  return unique;
}

/**
 * Checks that every petition of `ids` exists and can carry an answer (`isAnswerable`: public, open or closed — an
 * answer may come before the petition closes).
 * @param rows the petitions found (any order)
 * @throws DomainError('petition_not_found') for an id without a row; DomainError('invalid_transition') with
 *   details `{ petitionId, state }` for a petition that is not public
 */
export function assertAnswerable(
  ids: readonly string[],
  rows: ReadonlyArray<{ id: string; state: string }>,
): void {
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    if (!row)
      throw new DomainError('petition_not_found', `${id}번 청원을 찾을 수 없습니다.`, { petitionId: id });
    if (!isPetitionState(row.state) || !isAnswerable(row.state)) {
      throw new DomainError(
        'invalid_transition',
        `${id}번 청원은 공개 중이 아니어서(상태: ${row.state}) 답변을 게시할 수 없습니다.`,
        { petitionId: id, state: row.state },
      );
    }
  }
}

/**
 * Whether publishing an answer moves a covered petition's response track to `answered` now: yes when an answer is
 * owed (`isResponseDue`: awaiting, or overdue past its deadline — a late answer is still the answer) and when none
 * is owed yet (`none`: an answer may come before the threshold, as the 2020 n번방 answer did); no when the petition
 * is already answered (it keeps its first `answered_at`; a joint or second answer changes nothing on the track).
 */
export function answerMovesResponseTrack(state: ResponseState): boolean {
  return isResponseDue(state) || canResponseTransition(state, 'answered');
}
