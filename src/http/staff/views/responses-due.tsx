/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import { formatDate } from '../../../presenters/format.js';
import type { responsesDueOverview } from '../../../repositories/responses-due.js';
import { shortDateTime } from './layout.js';

/** The petitions awaiting an official response, and the progress of notification mail. */
export function ResponsesDueView(props: {
  overview: Awaited<ReturnType<typeof responsesDueOverview>>;
  /** The time zone of a profile (dates are shown in the petition's own). */
  timeZoneOf: (profile: string) => string;
}) {
  const { petitions: rows, fanouts, totals } = props.overview;
  return (
    <>
      <h1>답변 대기 청원</h1>
      <p>
        <a href="/staff/responses/new">새 답변 쓰기</a> · <a href="/staff/responses/drafts">쓴 답변과 초안</a>
      </p>
      {rows.length === 0 ? <p class="empty">답변을 기다리는 청원이 없습니다.</p> : null}
      <ol>
        {rows.map((p) => (
          <li>
            <a href={`/petitions/${p.id}`}>
              {p.id}. {p.title}
            </a>{' '}
            · 기준 도달 {shortDateTime(p.response_threshold_reached_at, props.timeZoneOf(p.profile))} · 답변
            기한 {p.response_due_at ? formatDate(p.response_due_at, props.timeZoneOf(p.profile)) : '없음'} ·{' '}
            <a href={`/staff/responses/new?petitions=${p.id}`}>이 청원에 답변하기</a>
          </li>
        ))}
      </ol>
      <h2>알림 발송 진행</h2>
      <p>
        발송 대기열:{' '}
        {Object.entries(totals.outbox)
          .map(([state, n]) => `${state} ${n}`)
          .join(', ') || '없음'}{' '}
        · 개별 메일:{' '}
        {Object.entries(totals.deliveries)
          .map(([state, n]) => `${state} ${n}`)
          .join(', ') || '없음'}
      </p>
      {fanouts.length === 0 ? (
        <p class="empty">보낸 알림이 없습니다.</p>
      ) : (
        <table class="audit">
          <caption class="sr-only">청원별 동의자 알림 발송 진행 (최근 20건)</caption>
          <thead>
            <tr>
              <th scope="col">청원</th>
              <th scope="col">종류</th>
              <th scope="col">대상(추정)</th>
              <th scope="col">보냄</th>
              <th scope="col">대기</th>
              <th scope="col">실패</th>
              <th scope="col">제외</th>
            </tr>
          </thead>
          <tbody>
            {fanouts.map((f) => (
              <tr>
                <td>
                  <a href={`/petitions/${f.petitionId}`}>{f.petitionId}</a>
                </td>
                <td>{f.kind}</td>
                <td>
                  {f.total}
                  {f.expanded ? '' : ' (펼치는 중)'}
                </td>
                <td>{f.sent}</td>
                <td>{f.pending}</td>
                <td>{f.failed}</td>
                <td>{f.skipped}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
