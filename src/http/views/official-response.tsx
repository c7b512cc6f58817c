/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import { raw } from 'hono/html';
import type { OfficialResponseRow, PetitionRow } from '../../db/schema.js';
import { takesPublicAgreements } from '../../domain/admission.js';
import { archivedCopyUrl, hasPreservedCopy } from '../../domain/archive-links.js';
import { isAnswered } from '../../domain/petition-states.js';
import {
  DEBATE_STATE_LABELS,
  describeResponseTrack,
  isDebateScheduled,
  isDebateState,
  responseTrackAt,
} from '../../domain/response-track.js';
import { type Locale, type MessageKey, type MessageValues, t } from '../../i18n/index.js';
import { renderAnswerMarkdown } from '../../presenters/answer-markdown.js';
import { formatDate } from '../../presenters/format.js';
import type { ResponseExtras } from '../../repositories/responses.js';
import { localDateText } from './tracks.js';

/** Plain text as paragraphs (blank lines separate them). */
export function Paragraphs(props: { text: string }) {
  return (
    <>
      {props.text
        .split(/\n{2,}/)
        .map((p) => p.trim())
        .filter((p) => p.length > 0)
        .map((p) => (
          <p>{p}</p>
        ))}
    </>
  );
}

/** An answer body: Markdown (answers written here; html off, see responses/format.ts) or archive plain text. */
function AnswerBody(props: { body: string; format: 'text' | 'markdown' }) {
  if (props.format === 'markdown')
    return <div class="response-body">{raw(renderAnswerMarkdown(props.body))}</div>;
  return <Paragraphs text={props.body} />;
}

/**
 * The response track of a petition: awaiting with its deadline and the days left, overdue shown as overdue (never
 * silently), and for UK petitions the debate track. Nothing when no response is due.
 */
export function ResponseTrack(props: {
  row: PetitionRow;
  zone: string;
  now: Date;
  locale?: Locale;
  /** The scheduled debate's local date ('YYYY-MM-DD', repositories/tracks.ts `scheduledDebateOn`). */
  scheduledOn?: string | null;
}) {
  const { row } = props;
  const locale = props.locale ?? 'ko';
  const view = responseTrackAt(
    { responseState: row.response_state, responseDueAt: row.response_due_at, answeredAt: row.answered_at },
    props.now,
    props.zone,
  );
  const line = view.status === 'answered' && view.late !== true ? '' : describeResponseTrack(view, locale);
  const debate = isDebateState(row.debate_state) ? DEBATE_STATE_LABELS[row.debate_state][locale] : '';
  if (!line && !debate) return null;
  return (
    <>
      {line ? (
        <p
          class={`response-track response-${view.status}`}
          role={view.status === 'overdue' ? 'alert' : undefined}
        >
          {view.status === 'overdue' ? <strong>{t(locale, 'answer.overdue')} </strong> : null}
          {line}
        </p>
      ) : null}
      {debate ? (
        <p class="debate-track">
          {t(locale, 'answer.debate', { state: debate })}
          {isDebateScheduled(row.debate_state) && props.scheduledOn
            ? ` (${localDateText(locale, props.scheduledOn)})`
            : ''}
        </p>
      ) : null}
    </>
  );
}

/**
 * The official answers of a petition: title, the answering official's title and name, the date, "수정됨" with the
 * revision history, the video as a link with its captions/transcript link (no embed: the CSP allows only this
 * site), and the other petitions a joint answer covers.
 */
export function OfficialResponses(props: {
  row: PetitionRow;
  responses: OfficialResponseRow[];
  extras?: Map<string, ResponseExtras> | undefined;
  zone: string;
  /** The page's language (default Korean); answers themselves stay in the language they were written in. */
  locale?: Locale;
}) {
  const { row, responses, zone } = props;
  const m = (key: MessageKey, values?: MessageValues) => t(props.locale ?? 'ko', key, values);
  if (responses.length === 0 && !isAnswered(row.response_state)) return null;
  const preserved = hasPreservedCopy(row.archive_source)
    ? archivedCopyUrl(row.archive_source, row.archive_source_id, row.archive_source_url)
    : null;
  return (
    <section class="official-response" aria-labelledby="response-heading">
      <h2 id="response-heading">{m('answer.heading')}</h2>
      {responses.length === 0 ? (
        <p class="empty">
          {m('answer.textMissing')}
          {preserved ? (
            <>
              {' '}
              {m('answer.readPreserved')}{' '}
              <a href={preserved} rel="noopener external">
                {preserved}
              </a>
            </>
          ) : null}
        </p>
      ) : (
        responses.map((r) => {
          const extra = props.extras?.get(r.id);
          const earlier = extra ? extra.revisions.slice(0, -1) : [];
          return (
            <article class="response" id={`response-${r.id}`}>
              {r.title ? <h3>{r.title}</h3> : null}
              {r.responder_name || r.published_at ? (
                <p class="response-meta">
                  {[r.responder_title, r.responder_name].filter(Boolean).join(' ')}
                  {r.published_at ? ` · ${formatDate(r.published_at, zone)}` : ''}
                  {r.revised_at
                    ? ` · ${m('answer.revisedOn', { date: formatDate(r.revised_at, zone) })}`
                    : ''}
                </p>
              ) : null}
              {r.summary ? <p class="response-summary">{r.summary}</p> : null}
              {r.video_url ? (
                <p class="response-video">
                  <a href={r.video_url} rel="noopener external">
                    {m('answer.video')}
                  </a>
                  {r.video_caption_url ? (
                    <>
                      {' · '}
                      <a href={r.video_caption_url} rel="noopener external">
                        {m('answer.captions')}
                      </a>
                    </>
                  ) : null}
                </p>
              ) : null}
              <AnswerBody body={r.body} format={r.body_format} />
              {extra && extra.alsoCovers.length > 0 ? (
                <div class="joint-answer">
                  <p>{m('answer.joint')}</p>
                  <ul>
                    {extra.alsoCovers.map((p) => (
                      <li>
                        <a href={`/petitions/${p.id}`}>{p.title}</a>
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {earlier.length > 0 ? (
                <details class="response-history">
                  <summary>{m('answer.history', { count: earlier.length })}</summary>
                  <ol>
                    {earlier.map((v) => (
                      <li>
                        <details>
                          <summary>
                            {formatDate(v.createdAt, zone)}{' '}
                            {m(v.phase === 'published' ? 'answer.firstPublished' : 'answer.revision')}
                          </summary>
                          {v.summary ? <p class="response-summary">{v.summary}</p> : null}
                          <AnswerBody body={v.body} format={v.bodyFormat} />
                        </details>
                      </li>
                    ))}
                  </ol>
                </details>
              ) : null}
            </article>
          );
        })
      )}
      {takesPublicAgreements(row.state) && isAnswered(row.response_state) ? (
        <p class="list-note">{m('answer.stillCollecting')}</p>
      ) : null}
    </section>
  );
}
