/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { PetitionRow } from '../../db/schema.js';
import { takesPublicAgreements } from '../../domain/admission.js';
import { isAnswered, PETITION_STATES } from '../../domain/petition-states.js';
import { getProfile } from '../../domain/policy-profiles.js';
import {
  DEFAULT_LOCALE,
  formatCount,
  formatPeriod,
  type Locale,
  type MessageKey,
  t,
} from '../../i18n/index.js';
import type { Site } from '../site.js';

/** A petition state's label in `locale` ('open' → '진행 중' / 'Open'); the state itself when it has none. */
export function stateLabel(locale: Locale, state: string): string {
  return (PETITION_STATES as readonly string[]).includes(state)
    ? t(locale, `state.${state}` as MessageKey)
    : state;
}

/** Korean state labels, for pages not yet translated (from the Korean catalog). */
export const STATE_LABELS: Record<string, string> = Object.fromEntries(
  PETITION_STATES.map((s) => [s, stateLabel('ko', s)]),
);

/** Korean labels of the response track ('' for none), for pages not yet translated. */
export const RESPONSE_LABELS: Record<string, string> = {
  none: '',
  awaiting: t('ko', 'response.awaiting'),
  answered: t('ko', 'response.answered'),
};

/**
 * A list of petitions as KRDS cards (structured list): category, state and answered badges, the title linking to
 * the petition, its period (dates in its profile's time zone) and its agreement count, all in `locale`. A title in
 * another language than the page (a Korean petition on an English page) carries its own `lang`.
 */
export function PetitionList(props: { rows: PetitionRow[]; site: Site; empty: string; locale?: Locale }) {
  const locale = props.locale ?? DEFAULT_LOCALE;
  if (props.rows.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <ol class="krds-structured-list type-full petition-list">
      {props.rows.map((row) => {
        const profile = props.site.profile(row.profile);
        const textLocale = getProfile(row.profile).locale;
        const period = formatPeriod(locale, row.opened_at, row.closes_at, profile.timeZone);
        return (
          <li class="structured-item petition-item">
            <div class="in">
              <div class="card-top krds-badge-wrap">
                {row.category ? (
                  <span class="krds-badge bg-light-gray">
                    <span class="sr-only">{t(locale, 'petition.category')}: </span>
                    {profile.categoryName(row.category, locale)}
                  </span>
                ) : null}
                <span
                  class={`krds-badge ${takesPublicAgreements(row.state) ? 'bg-light-primary' : 'bg-light-gray'}`}
                >
                  {stateLabel(locale, row.state)}
                </span>
                {isAnswered(row.response_state) ? (
                  <span class="krds-badge bg-light-success">{t(locale, 'response.answered')}</span>
                ) : null}
              </div>
              <div class="card-body">
                <a class="petition-title" href={`/petitions/${row.id}`}>
                  <span class="c-tit" lang={textLocale === locale ? undefined : textLocale}>
                    {row.title_hidden ? t(locale, 'petition.titleWithheld') : row.title}
                  </span>
                </a>
                {row.state === 'rejected' && row.rejection_reason ? (
                  <p class="c-reason">{t(locale, 'list.rejectedReason', { reason: row.rejection_reason })}</p>
                ) : null}
                {period ? (
                  <p class="c-date">
                    <span class="sr-only">{t(locale, 'petition.period')}: </span>
                    {period}
                  </p>
                ) : null}
              </div>
              <p class="card-btm count">
                <span class="sr-only">{t(locale, 'petition.agreements')}: </span>
                {formatCount(locale, row.public_count)}
                {row.archived_count_final === false ? (
                  <span class="count-note"> ({t(locale, 'petition.countNotFinal')})</span>
                ) : null}
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * The page numbers to show around `page` of `pages` (1-based): the first, the last, two either side of the
 * current one, and `null` where numbers are left out (shown as an ellipsis): 1 … 4 5 [6] 7 8 … 20.
 */
export function pageWindow(page: number, pages: number): Array<number | null> {
  const shown = new Set([1, pages]);
  for (let p = page - 2; p <= page + 2; p++) if (p >= 1 && p <= pages) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: Array<number | null> = [];
  sorted.forEach((p, i) => {
    const previous = sorted[i - 1];
    if (previous !== undefined && p - previous > 1) out.push(null);
    out.push(p);
  });
  return out;
}

/** KRDS pagination: previous/next and page numbers, keeping the other query parameters through `href`. */
export function Pager(props: {
  page: number;
  perPage: number;
  total: number;
  href: (page: number) => string;
  locale?: Locale;
}) {
  const locale = props.locale ?? DEFAULT_LOCALE;
  const pages = Math.max(1, Math.ceil(props.total / props.perPage));
  if (pages <= 1) return null;
  return (
    <nav class="krds-pagination pager" aria-label={t(locale, 'pager.label')}>
      {props.page > 1 ? (
        <a class="page-navi prev" rel="prev" href={props.href(props.page - 1)}>
          {t(locale, 'pager.previous')}
        </a>
      ) : null}
      <div class="page-links">
        {pageWindow(Math.min(props.page, pages), pages).map((p) =>
          p === null ? (
            <span class="page-link link-dot" aria-hidden="true"></span>
          ) : p === props.page ? (
            <a class="page-link active" href={props.href(p)} aria-current="page">
              <span class="sr-only">{t(locale, 'pager.current')} </span>
              {p}
            </a>
          ) : (
            <a class="page-link" href={props.href(p)}>
              {p}
            </a>
          ),
        )}
      </div>
      {props.page < pages ? (
        <a class="page-navi next" rel="next" href={props.href(props.page + 1)}>
          {t(locale, 'pager.next')}
        </a>
      ) : null}
    </nav>
  );
}
