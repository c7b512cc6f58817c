/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { OfficialResponseRow, PetitionRow } from '../../db/schema.js';
import { formatCount, formatDate, formatNumber, progressPercent } from '../format.js';
import { periodText, petitionThresholds } from '../presenters.js';
import { AgreementForm } from '../signing-routes.js';
import type { Site } from '../site.js';
import { RESPONSE_LABELS, STATE_LABELS } from './components.js';
import { Layout } from './layout.js';

const ARCHIVE_NAMES: Record<string, string> = {
  cwd: '청와대 국민청원',
  'cwd-list': '청와대 국민청원 (목록 수집본)',
  assembly: '국회 국민동의청원',
  uk: 'UK Parliament petitions',
  wtp: 'We the People (미국 백악관)',
};

function Paragraphs(props: { text: string }) {
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

/** The petition page: what was asked, by when, how many agreed, and the official answer. */
export function PetitionPage(props: {
  row: PetitionRow;
  responses: OfficialResponseRow[];
  site: Site;
  /** The agreement form, when the petition is open and the site takes agreements. */
  agree?: { signedIn: boolean; providers: Array<{ id: string; label: string }> } | undefined;
}) {
  const { row, responses, site } = props;
  const profile = site.profile(row.profile);
  const threshold = petitionThresholds(row, profile).response;
  const ownCategory = row.profile === site.deploymentProfile;
  const percent = progressPercent(row.public_count, threshold);
  const archived = row.archived_agreement_count !== null;
  return (
    <Layout
      title={row.title}
      categories={site.categories()}
      head={
        <>
          <meta property="og:title" content={row.title} />
          <meta property="og:description" content={`${formatCount(row.public_count)} 동의`} />
        </>
      }
    >
      <article class="petition">
        <p class="petition-labels">
          {row.category && ownCategory ? (
            <a class="tag" href={`/categories/${row.category}`}>
              {profile.categoryName(row.category)}
            </a>
          ) : row.category ? (
            <span class="tag">{profile.categoryName(row.category)}</span>
          ) : null}
          <span class={`state state-${row.state}`}>{STATE_LABELS[row.state] ?? row.state}</span>
          {RESPONSE_LABELS[row.response_state] ? (
            <span class={`state state-${row.response_state}`}>{RESPONSE_LABELS[row.response_state]}</span>
          ) : null}
        </p>
        <h1>{row.title}</h1>
        <dl class="petition-facts">
          <dt>청원기간</dt>
          <dd>{periodText(row, profile)}</dd>
          <dt>참여인원</dt>
          <dd class="count-large">{formatCount(row.public_count)}</dd>
        </dl>
        {threshold !== null ? (
          <div class="threshold">
            <label for="threshold-progress">
              {profile.responseThresholdLabel} {formatNumber(threshold)}명 중 {percent}%
              {row.public_count >= threshold ? ' — 기준 도달' : ''}
            </label>
            <progress id="threshold-progress" max={100} value={percent}>
              {percent}%
            </progress>
          </div>
        ) : null}
        {archived ? (
          <p class="notice">
            {`보관 기록입니다. 참여인원은 ${ARCHIVE_NAMES[row.archive_source ?? ''] ?? row.archive_source}에서 가져온 `}
            {row.archived_count_final === false
              ? '청원 마감 전에 수집된 집계로, 최종 인원이 아닙니다. '
              : '최종 집계이며, '}
            이 플랫폼에 개별 동의 기록은 없습니다.
            {row.archive_source_url ? (
              <>
                {' '}
                <a href={row.archive_source_url} rel="noopener external">
                  원문 주소
                </a>
              </>
            ) : null}
          </p>
        ) : null}
        {props.agree ? (
          <AgreementForm
            petitionId={row.id}
            signedIn={props.agree.signedIn}
            providers={props.agree.providers}
          />
        ) : null}
        <section class="petition-body" aria-labelledby="body-heading">
          <h2 id="body-heading">청원 내용</h2>
          {row.body ? (
            <Paragraphs text={row.body} />
          ) : (
            <p class="empty">보관 자료에 청원 본문이 남아 있지 않습니다.</p>
          )}
        </section>
        {responses.length > 0 || row.response_state === 'answered' ? (
          <section class="official-response" aria-labelledby="response-heading">
            <h2 id="response-heading">공식 답변</h2>
            {responses.length === 0 ? (
              <p class="empty">답변이 완료된 청원이지만 보관 자료에 답변 원문이 없습니다.</p>
            ) : (
              responses.map((r) => (
                <div class="response">
                  {r.responder_name || r.published_at ? (
                    <p class="response-meta">
                      {[r.responder_title, r.responder_name].filter(Boolean).join(' ')}
                      {r.published_at ? ` · ${formatDate(r.published_at, profile.timeZone)}` : ''}
                    </p>
                  ) : null}
                  {r.summary ? <p class="response-summary">{r.summary}</p> : null}
                  <Paragraphs text={r.body} />
                </div>
              ))
            )}
          </section>
        ) : null}
      </article>
    </Layout>
  );
}
