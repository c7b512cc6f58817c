import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, OfficialResponsesTable } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import {
  assertResponseTransition,
  isAnswerable,
  isPetitionState,
  type ResponseState,
} from '../domain/petition-states.js';
import { isRecordNumber } from '../domain/record-numbers.js';
import { enqueueCreatorNotification, enqueueSignerFanout } from '../notifications/outbox.js';
import { appendAudit } from '../repositories/audit.js';
import { MAX_ANSWER_BODY } from './format.js';

/**
 * Official responses (답변) written on this platform: drafted, published, revised — every saved version kept in
 * `official_response_revisions` with its time and author — and linked to one or several petitions (one answer may
 * cover several: the 2020 n번방 answer covered five petitions; each petition shows it).
 *
 * Publishing, in ONE transaction: the answer becomes public, each covered petition's response track moves to
 * `answered` (from `none` too: an answer may come before the threshold or before close, and the petition keeps
 * collecting agreements), and the outbox gets, per covered petition, the fan-out to its opted-in signers and the
 * creator's mail — each at most once per petition, whatever later answers or revisions follow. Revisions notify
 * nobody; they are shown on the page ("revised on …").
 *
 * Publishing and revising also append an entry to the audit log (`response.publish`, `response.revise`) in the
 * same transaction. Staff authentication and the responder's web pages belong to the staff area; callers pass an
 * actor.
 */

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
  /** Markdown (see format.ts: html off, no images, http(s) links only), 1–50,000 characters. */
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

type ParsedContent = z.output<typeof contentSchema>;

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

function checkActor(actor: ResponseActor): void {
  const label = actor.label?.trim() ?? '';
  if (label.length < 1 || label.length > 200 || CONTROL.test(label)) {
    throw new DomainError('invalid_parameter', '작성자 표시(actor)는 1–200자의 글자여야 합니다.', {
      fields: ['actor'],
    });
  }
}

function checkPetitionIds(ids: readonly string[]): string[] {
  const unique = [...new Set(ids.map((id) => String(id).trim()))];
  if (unique.length === 0 || unique.length > 100 || unique.some((id) => !isRecordNumber(id))) {
    throw new DomainError('invalid_parameter', '답변할 청원 번호를 1–100개, 1 이상의 정수로 주십시오.', {
      fields: ['petitions'],
    });
  }
  return unique;
}

/**
 * Locks the petitions (id order) and checks they can carry an answer (public: open or closed).
 * @throws DomainError('petition_not_found') for an unknown id; DomainError('invalid_transition') for a petition
 *   that is not public
 */
async function lockAnswerable(
  trx: Transaction<Database>,
  ids: string[],
): Promise<Array<{ id: string; state: string; response_state: string }>> {
  const rows = await trx
    .selectFrom('petitions')
    .select(['id', 'state', 'response_state'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
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
  return rows;
}

async function writeRevision(
  trx: Transaction<Database>,
  responseId: string,
  phase: 'draft' | 'published' | 'revised',
  c: ParsedContent,
  actor: ResponseActor,
  now: Date,
): Promise<number> {
  const last = await trx
    .selectFrom('official_response_revisions')
    .select((eb) => eb.fn.max('revision').as('n'))
    .where('official_response_id', '=', responseId)
    .executeTakeFirst();
  const revision = Number(last?.n ?? 0) + 1;
  await trx
    .insertInto('official_response_revisions')
    .values({
      official_response_id: responseId,
      revision,
      phase,
      title: c.title,
      summary: c.summary,
      body: c.body,
      body_format: 'markdown',
      responder_name: c.responderName,
      responder_title: c.responderTitle,
      video_url: c.videoUrl,
      video_caption_url: c.videoCaptionUrl,
      actor_label: actor.label.trim(),
      actor_staff_id: actor.staffId ?? null,
      created_at: now,
    })
    .execute();
  return revision;
}

const columns = (c: ParsedContent) => ({
  title: c.title,
  summary: c.summary,
  body: c.body,
  body_format: 'markdown' as const,
  responder_name: c.responderName,
  responder_title: c.responderTitle,
  video_url: c.videoUrl,
  video_caption_url: c.videoCaptionUrl,
});

/**
 * Records a staff action on an answer in the audit log, in the caller's transaction (publish and revise; drafts
 * are not public and are kept in the revision history only).
 */
function auditResponse(
  trx: Transaction<Database>,
  action: 'response.publish' | 'response.revise',
  responseId: string,
  actor: ResponseActor,
  now: Date,
  change: { before?: unknown; after: unknown },
): Promise<void> {
  return appendAudit(trx, {
    at: now,
    staffId: actor.staffId ?? null,
    actor: actor.label.trim(),
    action,
    subjectType: 'response',
    subjectId: responseId,
    ...change,
  });
}

/** Links petitions to a response; when it is published, marks them answered and queues their notifications. */
async function cover(
  trx: Transaction<Database>,
  responseId: string,
  published: boolean,
  petitions: Array<{ id: string; response_state: string }>,
  now: Date,
): Promise<void> {
  if (petitions.length === 0) return;
  await trx
    .insertInto('petition_official_responses')
    .values(petitions.map((p) => ({ petition_id: p.id, official_response_id: responseId })))
    .onConflict((oc) => oc.columns(['petition_id', 'official_response_id']).doNothing())
    .execute();
  if (!published) return;
  for (const p of petitions) {
    if (p.response_state !== 'answered') {
      assertResponseTransition(p.response_state as ResponseState, 'answered');
      await trx
        .updateTable('petitions')
        .set({ response_state: 'answered', answered_at: now, updated_at: now })
        .where('id', '=', p.id)
        .execute();
    }
    await enqueueSignerFanout(trx, p.id, 'signers.answered', { responseId }, now);
    await enqueueCreatorNotification(trx, p.id, 'creator.answered', { responseId }, now);
  }
}

/**
 * Saves a new draft answer (not public) covering `petitionIds`.
 * @param now UTC instant recorded on the revision
 * @returns the new response's id
 * @throws DomainError('invalid_parameter' | 'petition_not_found' | 'invalid_transition')
 */
export async function draftResponse(
  db: Kysely<Database>,
  input: { petitionIds: readonly string[]; content: ResponseContent },
  actor: ResponseActor,
  now: Date,
): Promise<string> {
  return (await insertResponse(db, input, actor, now, 'draft')).responseId;
}

/**
 * Publishes a new answer covering `petitionIds` (one or several) — see the module comment for what happens in the
 * transaction.
 * @param now UTC instant: the publication date shown, `answered_at` of petitions answered now
 * @returns `{ responseId, petitionIds }`
 * @throws DomainError('invalid_parameter') for bad content, ids or actor; DomainError('petition_not_found');
 *   DomainError('invalid_transition') for a petition that is not public
 */
export async function publishResponse(
  db: Kysely<Database>,
  input: { petitionIds: readonly string[]; content: ResponseContent },
  actor: ResponseActor,
  now: Date,
): Promise<{ responseId: string; petitionIds: string[] }> {
  return insertResponse(db, input, actor, now, 'published');
}

/**
 * A new answer as a draft or published at once, in one transaction: the answer, its first revision, the petitions
 * it covers (published: answered, signers' mail queued) and, when published, the audit entry.
 */
async function insertResponse(
  db: Kysely<Database>,
  input: { petitionIds: readonly string[]; content: ResponseContent },
  actor: ResponseActor,
  now: Date,
  state: 'draft' | 'published',
): Promise<{ responseId: string; petitionIds: string[] }> {
  const content = parseResponseContent(input.content);
  const ids = checkPetitionIds(input.petitionIds);
  checkActor(actor);
  const published = state === 'published';
  return db.transaction().execute(async (trx) => {
    const petitions = await lockAnswerable(trx, ids);
    const row = await trx
      .insertInto('official_responses')
      .values({ ...columns(content), state, published_at: published ? now : null, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const revision = await writeRevision(trx, row.id, state, content, actor, now);
    await cover(trx, row.id, published, petitions, now);
    if (published) {
      await auditResponse(trx, 'response.publish', row.id, actor, now, {
        after: { petitionIds: ids, title: content.title, revision },
      });
    }
    return { responseId: row.id, petitionIds: ids };
  });
}

/** An answer's content as stored (absent responder name and title as ''), in the shape the forms and checks use. */
function storedContent(r: {
  title: string | null;
  summary: string | null;
  body: string;
  responder_name: string | null;
  responder_title: string | null;
  video_url: string | null;
  video_caption_url: string | null;
}): Required<ResponseContent> {
  return {
    title: r.title,
    summary: r.summary,
    body: r.body,
    responderName: r.responder_name ?? '',
    responderTitle: r.responder_title ?? '',
    videoUrl: r.video_url,
    videoCaptionUrl: r.video_caption_url,
  };
}

async function lockResponse(trx: Transaction<Database>, responseId: string) {
  if (!isRecordNumber(responseId)) {
    throw new DomainError('response_not_found', `${responseId}번 답변을 찾을 수 없습니다.`);
  }
  const row = await trx
    .selectFrom('official_responses')
    .selectAll()
    .where('id', '=', responseId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new DomainError('response_not_found', `${responseId}번 답변을 찾을 수 없습니다.`);
  return row;
}

/**
 * Publishes a draft as it stands, for every petition it covers.
 * @throws DomainError('response_not_found'); DomainError('invalid_transition') when it is already published or a
 *   covered petition is not public
 */
export async function publishDraft(
  db: Kysely<Database>,
  responseId: string,
  actor: ResponseActor,
  now: Date,
): Promise<{ responseId: string; petitionIds: string[] }> {
  checkActor(actor);
  return db.transaction().execute(async (trx) => {
    const r = await lockResponse(trx, responseId);
    if (r.state !== 'draft') {
      throw new DomainError(
        'invalid_transition',
        `${responseId}번 답변은 이미 게시되었습니다. 수정(revise)하십시오.`,
      );
    }
    const ids = (
      await trx
        .selectFrom('petition_official_responses')
        .select('petition_id')
        .where('official_response_id', '=', responseId)
        .execute()
    ).map((p) => p.petition_id);
    const petitions = await lockAnswerable(trx, ids);
    const content = parseResponseContent(storedContent(r));
    await trx
      .updateTable('official_responses')
      .set({ state: 'published', published_at: now, updated_at: now })
      .where('id', '=', responseId)
      .execute();
    const revision = await writeRevision(trx, responseId, 'published', content, actor, now);
    await cover(trx, responseId, true, petitions, now);
    await auditResponse(trx, 'response.publish', responseId, actor, now, {
      before: { state: 'draft' },
      after: { petitionIds: [...ids].sort(), title: content.title, revision },
    });
    return { responseId, petitionIds: ids.sort() };
  });
}

/**
 * Changes an answer. A draft is simply saved again; a published answer is revised: the new version is shown with
 * "revised on <date>", and every earlier version stays in the history. Nobody is notified of a revision.
 * @param changes the fields to change (others keep their current value); the result is validated as a whole
 * @returns the new revision number
 * @throws DomainError('response_not_found' | 'invalid_parameter'); archive answers (imported) cannot be revised
 *   (DomainError('invalid_transition'))
 */
export async function reviseResponse(
  db: Kysely<Database>,
  responseId: string,
  changes: Partial<ResponseContent>,
  actor: ResponseActor,
  now: Date,
): Promise<number> {
  checkActor(actor);
  return db.transaction().execute(async (trx) => {
    const r = await lockResponse(trx, responseId);
    if (r.archive_source !== null) {
      throw new DomainError('invalid_transition', '보관 자료에서 가져온 답변은 고칠 수 없습니다.');
    }
    const current = storedContent(r);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const content = parseResponseContent({ ...current, ...defined });
    const published = r.state === 'published';
    await trx
      .updateTable('official_responses')
      .set({ ...columns(content), updated_at: now, ...(published ? { revised_at: now } : {}) })
      .where('id', '=', responseId)
      .execute();
    const revision = await writeRevision(
      trx,
      responseId,
      published ? 'revised' : 'draft',
      content,
      actor,
      now,
    );
    await auditResponse(trx, 'response.revise', responseId, actor, now, {
      before: { state: r.state, title: r.title, bodyChars: r.body.length },
      after: { state: r.state, title: content.title, bodyChars: content.body.length, revision },
    });
    return revision;
  });
}

/**
 * Adds petitions to an answer (a joint answer covering one more petition). For a published answer the added
 * petitions become answered and their signers and creator are notified, each once.
 * @throws DomainError('response_not_found' | 'petition_not_found' | 'invalid_transition' | 'invalid_parameter')
 */
export async function linkPetitions(
  db: Kysely<Database>,
  responseId: string,
  petitionIds: readonly string[],
  actor: ResponseActor,
  now: Date,
): Promise<void> {
  const ids = checkPetitionIds(petitionIds);
  checkActor(actor);
  await db.transaction().execute(async (trx) => {
    const r = await lockResponse(trx, responseId);
    const petitions = await lockAnswerable(trx, ids);
    await cover(trx, responseId, r.state === 'published', petitions, now);
  });
}

/** An answer as the responder's pages show it: its content, state and the petitions it covers (id order). */
export interface StaffResponseView {
  id: string;
  state: 'draft' | 'published';
  content: Required<ResponseContent>;
  petitionIds: string[];
  publishedAt: Date | null;
  updatedAt: Date;
}

/**
 * Answers written on this platform (not archive imports) for the staff pages: drafts first, then published ones,
 * newest change first, `limit` of them (1–500).
 */
export async function listStaffResponses(db: Kysely<Database>, limit = 200): Promise<StaffResponseView[]> {
  const rows = await db
    .selectFrom('official_responses')
    .selectAll()
    .where('archive_source', 'is', null)
    .orderBy('state', 'asc') // 'draft' < 'published'
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(limit, 1), 500))
    .execute();
  return withPetitions(db, rows);
}

/**
 * One answer written on this platform, for the revise form.
 * @throws DomainError('response_not_found') for an unknown id or an archive answer
 */
export async function loadStaffResponse(
  db: Kysely<Database>,
  responseId: string,
): Promise<StaffResponseView> {
  const row = isRecordNumber(responseId)
    ? await db
        .selectFrom('official_responses')
        .selectAll()
        .where('id', '=', responseId)
        .where('archive_source', 'is', null)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new DomainError('response_not_found', `${responseId}번 답변을 찾을 수 없습니다.`);
  const [view] = await withPetitions(db, [row]);
  return view as StaffResponseView;
}

async function withPetitions(
  db: Kysely<Database>,
  rows: Array<Selectable<OfficialResponsesTable>>,
): Promise<StaffResponseView[]> {
  const links =
    rows.length === 0
      ? []
      : await db
          .selectFrom('petition_official_responses')
          .select(['official_response_id', 'petition_id'])
          .where(
            'official_response_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('petition_id')
          .execute();
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    content: storedContent(r),
    petitionIds: links.filter((l) => l.official_response_id === r.id).map((l) => l.petition_id),
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
  }));
}
