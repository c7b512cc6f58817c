/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { draftResponse } from '../../commands/draft-response.js';
import { publishDraft } from '../../commands/publish-draft.js';
import { publishResponse } from '../../commands/publish-response.js';
import { reviseResponse } from '../../commands/revise-response.js';
import { DomainError, type ErrorCode } from '../../domain/errors.js';
import type { ResponseActor, ResponseContent } from '../../domain/official-response.js';
import { isRecordNumber } from '../../domain/record-numbers.js';
import { formatDate } from '../../presenters/format.js';
import {
  listStaffResponses,
  loadStaffResponse,
  type StaffResponseView,
} from '../../repositories/responses.js';
import { formRefusalStatus } from '../errors.js';
import type { Site } from '../site.js';
import { RESPONSES, type StaffRequest, type StaffRouteRegistrar, staffPage, wantsJson } from './routes.js';

/**
 * The responder's pages under /staff/responses (roles responder or administrator, behind the staff guard: session,
 * role, Origin and CSRF token): write an official response (답변) covering one or several petitions, save it as a
 * draft or publish it, list drafts and published answers, publish a draft, revise an answer. Routes are thin: the
 * rules are src/domain/official-response.ts's; the transaction, the revision history and the audit entry are the
 * use cases' (src/commands/draft-response.ts, publish-response.ts, publish-draft.ts, revise-response.ts). A refused content comes back as the form again, with each field's message
 * beside it (422), and nothing stored.
 */

/** Form field names: the content keys of `ResponseContent`, plus `petitions` (numbers separated by commas or spaces). */
const CONTENT_FIELDS = [
  'title',
  'body',
  'videoUrl',
  'videoCaptionUrl',
  'responderName',
  'responderTitle',
] as const;
/**
 * Refusals that concern what was typed into the form (its content, its petition numbers, a petition that cannot be
 * answered) and so show the form again; any other goes to the app's error handler.
 */
const FORM_REFUSALS: ReadonlySet<ErrorCode> = new Set([
  'invalid_parameter',
  'petition_not_found',
  'invalid_transition',
]);
type FormValues = Partial<Record<(typeof CONTENT_FIELDS)[number] | 'petitions', string>>;
type FieldErrors = Record<string, string>;

/** Mounts the responder's pages on the staff guard returned by `registerStaffRoutes`. */
export function registerResponseRoutes(site: Site, route: StaffRouteRegistrar): void {
  const actorOf = (r: StaffRequest): ResponseActor => ({ staffId: r.actor.staffId, label: r.who.email });
  const contentOf = (fields: Record<string, string>): ResponseContent => ({
    title: fields.title,
    body: fields.body ?? '',
    responderName: fields.responderName ?? '',
    responderTitle: fields.responderTitle ?? '',
    videoUrl: fields.videoUrl,
    videoCaptionUrl: fields.videoCaptionUrl,
  });
  const petitionNumbers = (raw: string | undefined) =>
    (raw ?? '')
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0);

  /**
   * Runs a change; a refusal about the content or the petitions shows the form again with the messages beside the
   * fields (HTML) or the error with status 422 (JSON). Other errors go to the app's error handler.
   */
  async function orForm(
    r: StaffRequest,
    form: { action: string; values: FormValues; revising?: StaffResponseView },
    change: () => Promise<Response>,
  ): Promise<Response> {
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof DomainError) || !FORM_REFUSALS.has(error.code)) throw error;
      const status = formRefusalStatus(error.code);
      if (status !== 422 && status !== 404 && status !== 409) throw error; // (none of FORM_REFUSALS)
      if (wantsJson(r.c)) {
        return r.c.json(
          { error: { code: error.code, message: error.message, details: error.details } },
          status,
        );
      }
      const messages = (error.details?.messages ?? {}) as FieldErrors;
      const errors: FieldErrors =
        error.code === 'invalid_parameter' && Object.keys(messages).length > 0
          ? messages
          : { [String((error.details?.fields as string[] | undefined)?.[0] ?? 'petitions')]: error.message };
      return staffPage(
        r,
        '답변 쓰기 (오류)',
        <ResponseForm
          csrf={r.csrf}
          action={form.action}
          values={form.values}
          errors={errors}
          summary={error.message}
          revising={form.revising}
        />,
        status,
      );
    }
  }

  route('GET', '/staff/responses/new', RESPONSES, async (r) => {
    const revisingId = r.c.req.query('response');
    if (revisingId !== undefined) {
      const revising = await loadStaffResponse(site.db, revisingId);
      return staffPage(
        r,
        `답변 고치기: ${revising.id}번`,
        <ResponseForm
          csrf={r.csrf}
          action={`/staff/responses/${revising.id}/revise`}
          values={valuesOf(revising)}
          errors={{}}
          revising={revising}
        />,
      );
    }
    const prefill = petitionNumbers(r.c.req.query('petitions')).filter(isRecordNumber);
    return staffPage(
      r,
      '답변 쓰기',
      <ResponseForm
        csrf={r.csrf}
        action="/staff/responses"
        values={{ petitions: prefill.join(', ') }}
        errors={{}}
      />,
    );
  });

  route('POST', '/staff/responses', RESPONSES, (r) =>
    orForm(r, { action: '/staff/responses', values: r.fields }, async () => {
      const input = { petitionIds: petitionNumbers(r.fields.petitions), content: contentOf(r.fields) };
      const now = site.now();
      if (r.fields.intent === 'publish') {
        const published = await publishResponse(site.db, input, actorOf(r), now);
        if (wantsJson(r.c)) return r.c.json({ responseId: Number(published.responseId) }, 201);
        return r.c.redirect(`/staff/responses/drafts?published=${published.responseId}`, 303);
      }
      const id = await draftResponse(site.db, input, actorOf(r), now);
      if (wantsJson(r.c)) return r.c.json({ responseId: Number(id) }, 201);
      return r.c.redirect(`/staff/responses/drafts?saved=${id}`, 303);
    }),
  );

  route('GET', '/staff/responses/drafts', RESPONSES, async (r) => {
    const responses = await listStaffResponses(site.db);
    const drafts = responses.filter((x) => x.state === 'draft');
    const published = responses.filter((x) => x.state === 'published');
    const zone = site.profile(site.deploymentProfile).timeZone;
    const saved = r.c.req.query('saved');
    const justPublished = r.c.req.query('published');
    const row = (x: StaffResponseView) => (
      <li>
        <strong>
          {x.id}. {x.content.title || '(제목 없음)'}
        </strong>{' '}
        · 청원{' '}
        {x.petitionIds.map((p, i) => (
          <>
            {i > 0 ? ', ' : ''}
            <a href={`/petitions/${p}`}>{p}번</a>
          </>
        ))}{' '}
        · {x.content.responderTitle} {x.content.responderName} ·{' '}
        {x.state === 'published' && x.publishedAt
          ? `게시 ${formatDate(x.publishedAt, zone)}`
          : `저장 ${formatDate(x.updatedAt, zone)}`}{' '}
        · <a href={`/staff/responses/new?response=${x.id}`}>고치기</a>
        {x.state === 'draft' ? (
          <form method="post" action={`/staff/responses/${x.id}/publish`} class="staff-action">
            <input type="hidden" name="csrf" value={r.csrf} />
            <button type="submit" class="button">
              {x.id}번 초안 게시
            </button>
          </form>
        ) : null}
      </li>
    );
    return staffPage(
      r,
      '쓴 답변과 초안',
      <>
        <h1>쓴 답변과 초안</h1>
        {saved ? (
          <p class="notice" role="status">
            {saved}번 초안을 저장했습니다.
          </p>
        ) : null}
        {justPublished ? (
          <p class="notice" role="status">
            {justPublished}번 답변을 게시했습니다.
          </p>
        ) : null}
        <p>
          <a href="/staff/responses/new">새 답변 쓰기</a> · <a href="/staff/responses">답변 대기 청원</a>
        </p>
        <h2>초안 ({drafts.length})</h2>
        {drafts.length === 0 ? (
          <p class="empty">초안이 없습니다.</p>
        ) : (
          <ol class="responses">{drafts.map(row)}</ol>
        )}
        <h2>게시한 답변 ({published.length})</h2>
        {published.length === 0 ? (
          <p class="empty">게시한 답변이 없습니다.</p>
        ) : (
          <ol class="responses">{published.map(row)}</ol>
        )}
      </>,
    );
  });

  route('POST', '/staff/responses/:id/publish', RESPONSES, async (r) => {
    const id = r.c.req.param('id') ?? '';
    const published = await publishDraft(site.db, id, actorOf(r), site.now());
    if (wantsJson(r.c)) return r.c.json({ responseId: Number(published.responseId) });
    return r.c.redirect(`/staff/responses/drafts?published=${published.responseId}`, 303);
  });

  route('POST', '/staff/responses/:id/revise', RESPONSES, async (r) => {
    const revising = await loadStaffResponse(site.db, r.c.req.param('id') ?? '');
    const values: FormValues = { ...r.fields, petitions: revising.petitionIds.join(', ') };
    return orForm(r, { action: `/staff/responses/${revising.id}/revise`, values, revising }, async () => {
      // fields sent replace the current ones (an emptied optional field clears it); fields not sent are kept
      const changes: Partial<ResponseContent> = Object.fromEntries(
        CONTENT_FIELDS.filter((k) => r.fields[k] !== undefined).map((k) => [k, r.fields[k]]),
      );
      const revision = await reviseResponse(site.db, revising.id, changes, actorOf(r), site.now());
      if (wantsJson(r.c)) return r.c.json({ responseId: Number(revising.id), revision });
      return r.c.redirect(
        revising.state === 'published'
          ? `/staff/responses/drafts?published=${revising.id}`
          : `/staff/responses/drafts?saved=${revising.id}`,
        303,
      );
    });
  });
}

const valuesOf = (x: StaffResponseView): FormValues => ({
  petitions: x.petitionIds.join(', '),
  title: x.content.title ?? '',
  body: x.content.body,
  videoUrl: x.content.videoUrl ?? '',
  videoCaptionUrl: x.content.videoCaptionUrl ?? '',
  responderName: x.content.responderName,
  responderTitle: x.content.responderTitle,
});

/** A labelled field with its hint and, when refused, the message (tied by aria-describedby). */
function Field(props: {
  name: string;
  label: string;
  errors: FieldErrors;
  hint?: string;
  children: (describedBy: string | undefined, invalid: boolean) => Child;
}) {
  const error = props.errors[props.name];
  const ids = [props.hint ? `${props.name}-hint` : null, error ? `${props.name}-error` : null].filter(
    Boolean,
  );
  return (
    <p class={error ? 'field field-error' : 'field'}>
      <label for={`f-${props.name}`}>{props.label}</label>
      {props.hint ? (
        <span id={`${props.name}-hint`} class="hint">
          {' '}
          {props.hint}
        </span>
      ) : null}
      {error ? (
        <strong id={`${props.name}-error`} class="error-message">
          {' '}
          {error}
        </strong>
      ) : null}
      <br />
      {props.children(ids.length > 0 ? ids.join(' ') : undefined, Boolean(error))}
    </p>
  );
}

/** The answer form: new (draft or publish) or revising an existing answer (its petitions are fixed). */
function ResponseForm(props: {
  csrf: string;
  action: string;
  values: FormValues;
  errors: FieldErrors;
  summary?: string;
  revising?: StaffResponseView | undefined;
}) {
  const v = props.values;
  const e = props.errors;
  const input =
    (name: keyof FormValues, type: 'text' | 'url', maxlength: number, required = false) =>
    (describedBy: string | undefined, invalid: boolean) => (
      <input
        id={`f-${name}`}
        name={name}
        type={type}
        value={v[name] ?? ''}
        maxlength={maxlength}
        required={required}
        aria-describedby={describedBy}
        aria-invalid={invalid ? 'true' : undefined}
        size={60}
      />
    );
  const revising = props.revising;
  return (
    <>
      <h1>
        {revising
          ? `${revising.id}번 답변 고치기${revising.state === 'published' ? ' (게시됨: 수정 기록이 남습니다)' : ' (초안)'}`
          : '답변 쓰기'}
      </h1>
      <p>
        <a href="/staff/responses">← 답변 대기 청원</a> · <a href="/staff/responses/drafts">쓴 답변과 초안</a>
      </p>
      {props.summary ? (
        <div class="notice error-summary" role="alert">
          <p>저장하지 않았습니다. 아래 표시된 항목을 고쳐 주십시오.</p>
          <p>{props.summary}</p>
        </div>
      ) : null}
      <form method="post" action={props.action} class="response-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        {revising ? (
          <p>
            답변하는 청원:{' '}
            {revising.petitionIds.map((p, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={`/petitions/${p}`}>{p}번</a>
              </>
            ))}
          </p>
        ) : (
          <Field
            name="petitions"
            label="답변할 청원 번호"
            hint="여러 청원에 함께 답할 때는 쉼표로 구분합니다 (예: 12, 15)."
            errors={e}
          >
            {input('petitions', 'text', 2000, true)}
          </Field>
        )}
        <Field name="title" label="제목" errors={e}>
          {input('title', 'text', 200)}
        </Field>
        <Field
          name="body"
          label="답변 본문"
          hint="마크다운: 문단, **굵게**, *기울임*, # 제목, 목록(- 또는 1.), > 인용, 링크(https 주소만)를 쓸 수 있습니다. HTML·그림·표는 쓸 수 없으며 HTML은 글자 그대로 보입니다."
          errors={e}
        >
          {(describedBy, invalid) => (
            <textarea
              id="f-body"
              name="body"
              rows={16}
              cols={80}
              required
              aria-describedby={describedBy}
              aria-invalid={invalid ? 'true' : undefined}
            >
              {v.body ?? ''}
            </textarea>
          )}
        </Field>
        <Field
          name="videoUrl"
          label="영상 주소"
          hint="https:// 로 시작하는 주소, 없으면 비워 둡니다."
          errors={e}
        >
          {input('videoUrl', 'url', 2000)}
        </Field>
        <Field
          name="videoCaptionUrl"
          label="자막·대본 주소"
          hint="영상이 있을 때 https:// 주소로 넣습니다."
          errors={e}
        >
          {input('videoCaptionUrl', 'url', 2000)}
        </Field>
        <Field name="responderName" label="답변자 이름" errors={e}>
          {input('responderName', 'text', 100, true)}
        </Field>
        <Field name="responderTitle" label="답변자 직책" errors={e}>
          {input('responderTitle', 'text', 100, true)}
        </Field>
        {revising ? (
          <button type="submit" class="button">
            {revising.state === 'published' ? '수정 게시' : '초안 저장'}
          </button>
        ) : (
          <p>
            <button type="submit" name="intent" value="draft" class="button">
              초안 저장
            </button>{' '}
            <button type="submit" name="intent" value="publish" class="button">
              게시
            </button>
          </p>
        )}
      </form>
    </>
  );
}
