/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { OfficialResponseRow, PetitionRow } from '../../db/schema.js';
import type { ResponseExtras } from '../../repositories/responses.js';
import { formatCount, formatNumber, progressPercent } from '../format.js';
import { periodText, petitionThresholds } from '../presenters.js';
import { AgreementForm } from '../signing-routes.js';
import type { Site } from '../site.js';
import { RESPONSE_LABELS, STATE_LABELS } from './components.js';
import { Layout } from './layout.js';
import { OfficialResponses, Paragraphs, ResponseTrack } from './official-response.js';

const ARCHIVE_NAMES: Record<string, string> = {
  cwd: '청와대 국민청원',
  'cwd-list': '청와대 국민청원 (목록 수집본)',
  assembly: '국회 국민동의청원',
  uk: 'UK Parliament petitions',
  wtp: 'We the People (미국 백악관)',
};

/** The petition page: what was asked, by when, how many agreed, and the official answer. */
export function PetitionPage(props: {
  row: PetitionRow;
  responses: OfficialResponseRow[];
  site: Site;
  /** The agreement form, when the petition is open and the site takes agreements. */
  agree?: { signedIn: boolean; providers: Array<{ id: string; label: string }> } | undefined;
  /** Revision history and joint-answer petitions of each response (by response id). */
  responseExtras?: Map<string, ResponseExtras> | undefined;
  /** The public reason its category is withheld (election-period switch), or null. */
  withheld?: string | null | undefined;
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
        <ResponseTrack row={row} zone={profile.timeZone} now={site.now()} />
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
        {row.duplicate_of ? (
          <p class="notice">
            이 청원은 <a href={`/petitions/${row.duplicate_of}`}>{row.duplicate_of}번 청원</a>과 같은
            내용입니다. 그 청원에 동의해 주십시오.
          </p>
        ) : null}
        {row.state === 'rejected' ? (
          <p class="notice" role="status">
            공개하지 않기로 결정된 청원입니다. 사유: {row.rejection_reason ?? '운영 원칙에 맞지 않습니다.'}
          </p>
        ) : null}
        {props.withheld ? (
          <p class="notice" role="status">
            선거 기간 공개 보류: {props.withheld}
          </p>
        ) : null}
        {row.hidden_in_part ? (
          <p class="notice">
            운영 원칙에 따라 이 청원의 일부를 숨겼습니다. 숨긴 곳은 [일부 숨김: …]으로 표시됩니다.
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
          {row.state === 'rejected' || props.withheld ? (
            <p class="empty">청원 내용을 공개하지 않습니다.</p>
          ) : row.body ? (
            <Paragraphs text={row.body} />
          ) : (
            <p class="empty">보관 자료에 청원 본문이 남아 있지 않습니다.</p>
          )}
        </section>
        <OfficialResponses
          row={row}
          responses={responses}
          extras={props.responseExtras}
          zone={profile.timeZone}
        />
      </article>
    </Layout>
  );
}
