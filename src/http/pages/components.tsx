/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { PetitionRow } from '../../db/schema.js';
import { formatCount } from '../format.js';
import { periodText } from '../presenters.js';
import type { Site } from '../site.js';

export const STATE_LABELS: Record<string, string> = {
  draft: '작성 중',
  collecting_pre_agreements: '사전동의 중',
  in_review: '검토 중',
  open: '진행 중',
  closed: '청원 종료',
  rejected: '비공개 결정',
  hidden: '숨김',
  removed: '삭제됨',
};

export const RESPONSE_LABELS: Record<string, string> = {
  none: '',
  awaiting: '답변 대기',
  answered: '답변 완료',
};

/** A list of petitions: title, category, period, state and count; each links to its page. */
export function PetitionList(props: { rows: PetitionRow[]; site: Site; empty: string }) {
  if (props.rows.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <ol class="petition-list">
      {props.rows.map((row) => {
        const profile = props.site.profile(row.profile);
        return (
          <li class="petition-item">
            <a class="petition-title" href={`/petitions/${row.id}`}>
              {row.title}
            </a>
            <div class="petition-meta">
              {row.category ? <span class="tag">{profile.categoryName(row.category)}</span> : null}
              <span>{periodText(row, profile)}</span>
              <span class={`state state-${row.state}`}>{STATE_LABELS[row.state] ?? row.state}</span>
              {row.response_state === 'answered' ? <span class="state state-answered">답변 완료</span> : null}
              <span class="count">
                {formatCount(row.public_count)}
                {row.archived_count_final === false ? ' (마감 전 집계)' : ''}
              </span>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** Previous/next links and the position ('1 / 12 페이지'), keeping the other query parameters. */
export function Pager(props: {
  page: number;
  perPage: number;
  total: number;
  href: (page: number) => string;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.perPage));
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label="페이지">
      {props.page > 1 ? (
        <a rel="prev" href={props.href(props.page - 1)}>
          이전
        </a>
      ) : null}
      <span aria-current="page">
        {props.page} / {pages} 페이지
      </span>
      {props.page < pages ? (
        <a rel="next" href={props.href(props.page + 1)}>
          다음
        </a>
      ) : null}
    </nav>
  );
}
