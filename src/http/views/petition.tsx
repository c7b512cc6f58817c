/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import type { OfficialResponseRow, PetitionRow } from '../../db/schema.js';
import { takesPublicAgreements } from '../../domain/admission.js';
import { archivedCopyUrl, hasPreservedCopy } from '../../domain/archive-links.js';
import { hasResponseBadge, isPublic } from '../../domain/petition-states.js';
import { findPlace, placesOf } from '../../domain/places.js';
import { formatCount, formatDate, formatNumber, formatPeriod, type Locale, t } from '../../i18n/index.js';
import { progressPercent } from '../../presenters/format.js';
import { petitionThresholds } from '../../presenters/petitions.js';
import type { PublicStatement } from '../../repositories/invalidations.js';
import type { ArchivedAreaCount, DayCount, RegionCount } from '../../repositories/open-data.js';
import type { ResponseExtras } from '../../repositories/responses.js';
import type { DebateOutcome, TrackEvent } from '../../repositories/tracks.js';
import { siteAssets } from '../assets.js';
import type { PageContext } from '../middleware/locale.js';
import type { Site } from '../site.js';
import { AgreementForm } from './agreement-form.js';
import { ArchivedAreaCounts } from './archived-areas.js';
import { AgreementsOverTimeChart, type ChartText, HorizontalBarChart } from './charts.js';
import { stateLabel } from './components.js';
import { InvalidationStatements } from './invalidation-statements.js';
import { Layout } from './layout.js';
import { OfficialResponses, Paragraphs, ResponseTrack } from './official-response.js';
import { TrackTimeline } from './tracks.js';

const ARCHIVE_NAMES: Record<Locale, Record<string, string>> = {
  ko: {
    cwd: '청와대 국민청원',
    'cwd-list': '청와대 국민청원 (목록 수집본)',
    assembly: '국회 국민동의청원',
    uk: 'UK Parliament petitions',
    wtp: 'We the People (미국 백악관)',
    cheongwon: '청원 공개 자료',
  },
  en: {
    cwd: 'the Blue House national petitions (청와대 국민청원)',
    'cwd-list': 'the Blue House national petitions (list crawl)',
    assembly: 'the National Assembly petitions (국민동의청원)',
    uk: 'UK Parliament petitions',
    wtp: 'We the People (the White House)',
    cheongwon: 'a Cheongwon open-data dump',
  },
};

/**
 * A hashtag people can rally around (in 2020 the Room-N campaign spread on Instagram under hashtags): the title's
 * first words joined with underscores, letters and digits only, at most 30 characters.
 */
export function suggestedHashtag(title: string): string {
  const words = title.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  let tag = '';
  for (const w of words) {
    const next = tag ? `${tag}_${w}` : w;
    if (next.length > 30) break;
    tag = next;
  }
  return `#${tag || '청원'}`;
}

/** The petition page: what was asked, by when, how many agreed, over time and where, and the official answer. */
/** Where the percentage goes in the threshold label's message (a private-use character no message contains). */
const PERCENT_SLOT = '\uE000';

/**
 * The threshold label's text with its percentage (`{percent}%` in the catalogs) in a span the live count script
 * (`data-live-percent`) updates in place: the label is the bar's accessible name, so it must follow the count.
 */
function ThresholdLabel(props: { text: string; percent: string; reachedText: string; reached: boolean }) {
  const [before, after = ''] = props.text.split(`${PERCENT_SLOT}%`);
  // one inline run (the label may be a flex box): its spaces stay where the message puts them
  return (
    <span>
      {before}
      <span data-live-percent="">{props.percent}</span>
      {after}
      {/* shown by the live count script once the count reaches the threshold */}
      <span data-live-reached="" hidden={!props.reached}>
        {props.reachedText}
      </span>
    </span>
  );
}

export function PetitionPage(props: {
  row: PetitionRow;
  responses: OfficialResponseRow[];
  site: Site;
  /** Language and URL of the page (default Korean, for callers not yet passing one). */
  page?: PageContext | undefined;
  /** The agreement form, when the petition is open and the site takes agreements. */
  agree?: { signedIn: boolean; providers: Array<{ id: string; label: string }> } | undefined;
  /** Revision history and joint-answer petitions of each response (by response id). */
  responseExtras?: Map<string, ResponseExtras> | undefined;
  /** The public reason its category is withheld (election-period switch), or null. */
  withheld?: string | null | undefined;
  /** Confirmed agreements per local day and per region (petitions with agreement rows; archived ones have none). */
  byDay?: DayCount[] | undefined;
  byRegion?: RegionCount[] | undefined;
  /** Signatures per area its archive source published (UK), imported aggregates; absent or [] for none. */
  areaCounts?: ArchivedAreaCount[] | undefined;
  /** Absolute base URL for share links and Open Graph (PUBLIC_URL), if known. */
  publicUrl?: string | null | undefined;
  /** Public statements of approved invalidations (issue 13), oldest first. */
  invalidations?: PublicStatement[] | undefined;
  /** The parliamentary track after a threshold (UK debate, Assembly committee): timeline, outcome, debate date. */
  tracks?:
    | { events: TrackEvent[]; outcome: DebateOutcome | undefined; scheduledOn: string | null }
    | undefined;
}) {
  const { row, responses, site } = props;
  const locale: Locale = props.page?.locale ?? 'ko';
  const m = (key: Parameters<typeof t>[1], values?: Parameters<typeof t>[2]) => t(locale, key, values);
  const profile = site.profile(row.profile);
  const threshold = petitionThresholds(row, profile).response;
  const ownCategory = row.profile === site.deploymentProfile;
  const percent = progressPercent(row.public_count, threshold);
  const archived = row.archived_agreement_count !== null;
  /** Where the original can be read today (the Presidential Archives for the Blue House board); null: nowhere known. */
  const originalUrl = archived
    ? archivedCopyUrl(row.archive_source, row.archive_source_id, row.archive_source_url)
    : null;
  const live = takesPublicAgreements(row.state);
  const pageUrl = `${props.publicUrl ?? ''}/petitions/${row.id}`;
  // a title withheld by its rejection reason (defamation, libel) is never shown, not even in the page's head
  const title = row.title_hidden ? m('petition.titleWithheld') : row.title;
  const hashtag = suggestedHashtag(row.title_hidden ? '' : row.title);
  const n = (v: number) => formatNumber(locale, v);
  const chartText = (over: Omit<ChartText, 'formatNumber' | 'tableLabel'>): ChartText => ({
    ...over,
    formatNumber: n,
    tableLabel: m('chart.tableLabel'),
  });
  const days = props.byDay ?? [];
  const peak = days.reduce<DayCount | null>((a, d) => (a === null || d.count > a.count ? d : a), null);
  const dayLabel = (day: string) => formatDate(locale, new Date(`${day}T12:00:00Z`), 'UTC');
  const regions = (props.byRegion ?? [])
    .filter((r) => r.region !== null)
    .map((r) => {
      const region = findPlace(site.profile(row.profile).profile.places, r.region ?? '');
      return { name: region ? region[locale] : String(r.region), count: r.count };
    })
    .sort((a, b) => b.count - a.count);
  const regionTotal = regions.reduce((a, r) => a + r.count, 0);
  return (
    <Layout
      title={title}
      categories={site.categories(locale)}
      locale={locale}
      url={props.page?.url ?? `/petitions/${row.id}`}
      description={pageDescription(row, locale, Boolean(props.withheld))}
      head={
        <>
          <meta property="og:type" content="article" />
          <meta property="og:title" content={title} />
          <meta
            property="og:description"
            content={m('petition.ogDescription', { count: row.public_count })}
          />
          {props.publicUrl ? <meta property="og:url" content={pageUrl} /> : null}
          <meta name="twitter:card" content="summary" />
          <meta name="twitter:title" content={title} />
          <meta
            name="twitter:description"
            content={m('petition.ogDescription', { count: row.public_count })}
          />
          {live ? <script src={siteAssets().scripts['live-count']} defer /> : null}
        </>
      }
    >
      <article class="petition">
        <p class="petition-labels">
          {row.category && ownCategory ? (
            <a class="tag" href={`/categories/${row.category}`}>
              {profile.categoryName(row.category, locale)}
            </a>
          ) : row.category ? (
            <span class="tag">{profile.categoryName(row.category, locale)}</span>
          ) : null}
          <span class={`state state-${row.state}`}>{stateLabel(locale, row.state)}</span>
          {hasResponseBadge(row.response_state) ? (
            <span class={`state state-${row.response_state}`}>{m(`response.${row.response_state}`)}</span>
          ) : null}
        </p>
        <h1 lang={locale === 'en' && /[\uac00-\ud7a3]/.test(title) ? 'ko' : undefined}>{title}</h1>
        <dl class="petition-facts">
          <dt>{m('petition.period')}</dt>
          <dd>{formatPeriod(locale, row.opened_at, row.closes_at, profile.timeZone)}</dd>
          <dt>{m('petition.agreements')}</dt>
          <dd
            class="count-large"
            data-live-count={live ? `/api/v1/petitions/${row.id}/count` : undefined}
            data-count={String(row.public_count)}
            data-format-one={live ? t(locale, 'petition.count', { count: 1 }).replace('1', '#') : undefined}
            data-format-other={live ? t(locale, 'petition.count', { count: 7 }).replace('7', '#') : undefined}
          >
            {formatCount(locale, row.public_count)}
          </dd>
        </dl>
        {props.agree ? (
          <p class="agree-jump">
            <a class="krds-btn medium primary" href="#agree-heading">
              {m('agree.heading')}
            </a>
          </p>
        ) : null}
        {threshold !== null ? (
          <div class="threshold">
            <label for="threshold-progress">
              <ThresholdLabel
                text={m('petition.thresholdProgress', {
                  label:
                    locale === 'ko' ? profile.responseThresholdLabel : profile.responseThresholdPurposeEn,
                  threshold,
                  percent: PERCENT_SLOT,
                })}
                percent={`${percent}%`}
                reachedText={m('petition.thresholdReached')}
                reached={row.public_count >= threshold}
              />
            </label>
            {/* max is the threshold itself, so past it the bar simply stays full while the count goes on */}
            <progress
              id="threshold-progress"
              max={threshold}
              value={Math.min(row.public_count, threshold)}
              data-live-progress={live ? '' : undefined}
            >
              {percent}%
            </progress>
          </div>
        ) : null}
        {archived && (row.response_threshold_reached_at || row.debate_threshold_reached_at) ? (
          <ul class="threshold-crossings">
            {(
              [
                ['response', row.response_threshold_reached_at],
                ['debate', row.debate_threshold_reached_at],
              ] as const
            ).map(([kind, at]) =>
              at ? (
                <li>
                  {m('petition.thresholdReachedOn', {
                    kind,
                    date: formatDate(locale, at, profile.timeZone),
                  })}
                </li>
              ) : null,
            )}
          </ul>
        ) : null}
        {row.debate_threshold !== null && isPublic(row.state) ? (
          <p class="threshold-next">
            {m('petition.debateTarget', {
              threshold: row.debate_threshold,
              reached: row.public_count >= row.debate_threshold ? 'true' : 'false',
            })}
          </p>
        ) : null}
        <ResponseTrack
          row={row}
          zone={profile.timeZone}
          now={site.now()}
          locale={locale}
          scheduledOn={props.tracks?.scheduledOn ?? null}
        />
        {props.tracks ? (
          <TrackTimeline events={props.tracks.events} outcome={props.tracks.outcome} locale={locale} />
        ) : null}
        {archived ? (
          <p class="notice">
            {m('petition.archived', {
              source:
                ARCHIVE_NAMES[locale][row.archive_source ?? ''] ??
                row.archive_source ??
                m('petition.sourceLink'),
              final: row.archived_count_final === false ? 'false' : 'true',
            })}
            {originalUrl ? (
              <>
                {' '}
                <a href={originalUrl} rel="noopener external">
                  {hasPreservedCopy(row.archive_source)
                    ? m('petition.preservedCopy')
                    : m('petition.sourceLink')}
                </a>
              </>
            ) : null}
          </p>
        ) : null}
        {row.duplicate_of ? (
          <p class="notice">
            {m('petition.duplicate')}{' '}
            <a href={`/petitions/${row.duplicate_of}`}>
              {m('petition.duplicateLink', { id: row.duplicate_of })}
            </a>
          </p>
        ) : null}
        {/* a page that is not public (PAGE_STATES) is a rejected petition's: its reason, never its text */}
        {!isPublic(row.state) ? (
          <p class="notice" role="status">
            {m('petition.rejected', { reason: row.rejection_reason ?? m('petition.rejectedDefault') })}
          </p>
        ) : null}
        {props.withheld ? (
          <p class="notice" role="status">
            {m('petition.withheld', { reason: props.withheld })}
          </p>
        ) : null}
        {row.hidden_in_part ? <p class="notice">{m('petition.hiddenInPart')}</p> : null}
        <section class="petition-body" aria-labelledby="body-heading">
          <h2 id="body-heading">{m('petition.bodyHeading')}</h2>
          {!isPublic(row.state) || props.withheld ? (
            <p class="empty">{m('petition.bodyWithheld')}</p>
          ) : row.body ? (
            <div lang={locale === 'en' && /[\uac00-\ud7a3]/.test(row.body) ? 'ko' : undefined}>
              <Paragraphs text={row.body} />
            </div>
          ) : originalUrl && hasPreservedCopy(row.archive_source) ? (
            <p class="empty">
              {m('petition.bodyMissingPreserved')}{' '}
              <a href={originalUrl} rel="noopener external">
                {originalUrl}
              </a>
            </p>
          ) : (
            <p class="empty">{m('petition.bodyMissing')}</p>
          )}
        </section>
        {/* the text first, then the form: people read before they are asked to sign */}
        {props.agree ? (
          <AgreementForm
            petitionId={row.id}
            signedIn={props.agree.signedIn}
            providers={props.agree.providers}
            locale={locale}
            places={placesOf(site.profile(row.profile).profile.places)}
            askPostcode={site.profile(row.profile).profile.places === 'uk'}
          />
        ) : null}
        {peak ? (
          <AgreementsOverTimeChart
            id="agreements-by-day"
            days={days}
            formatDay={dayLabel}
            text={chartText({
              title: m('petition.byDay'),
              summary: m('petition.byDaySummary', {
                days: days.length,
                total: days.reduce((a, d) => a + d.count, 0),
                peakDay: dayLabel(peak.day),
                peak: peak.count,
              }),
              columns: [m('petition.day'), m('petition.newAgreements'), m('petition.totalAgreements')],
            })}
          />
        ) : null}
        {regions.length > 0 ? (
          <HorizontalBarChart
            id="agreements-by-region"
            rows={regions}
            text={chartText({
              title: m('petition.byRegion'),
              summary: m('petition.byRegionSummary', {
                total: regionTotal,
                top: regions[0]?.name ?? '',
                topCount: regions[0]?.count ?? 0,
              }),
              columns: [m('petition.region'), m('petition.agreements')],
            })}
          />
        ) : null}
        {archived ? (
          <ArchivedAreaCounts
            counts={props.areaCounts ?? []}
            total={row.archived_agreement_count ?? 0}
            source={ARCHIVE_NAMES[locale][row.archive_source ?? ''] ?? row.archive_source ?? ''}
            locale={locale}
          />
        ) : null}
        <InvalidationStatements
          statements={props.invalidations ?? []}
          locale={locale}
          zone={profile.timeZone}
        />
        <OfficialResponses
          row={row}
          responses={responses}
          extras={props.responseExtras}
          zone={profile.timeZone}
          locale={locale}
        />
        {isPublic(row.state) ? (
          <section class="share" aria-labelledby="share-heading">
            <h2 id="share-heading">{m('petition.share')}</h2>
            <p>
              {m('petition.hashtag')}: <strong>{hashtag}</strong>
            </p>
            <ul class="share-links">
              <li>
                <a
                  href={`https://twitter.com/intent/tweet?${new URLSearchParams({ text: `${row.title} ${hashtag}`, url: pageUrl }).toString()}`}
                  rel="noopener external"
                >
                  {m('petition.shareX')}
                </a>
              </li>
              <li>
                <a
                  href={`https://www.facebook.com/sharer/sharer.php?${new URLSearchParams({ u: pageUrl }).toString()}`}
                  rel="noopener external"
                >
                  {m('petition.shareFacebook')}
                </a>
              </li>
              <li>
                {m('petition.shareLink')}: <code>{pageUrl}</code>
              </li>
            </ul>
          </section>
        ) : null}
      </article>
    </Layout>
  );
}

/**
 * The petition page's `<meta name="description">`: its count and the start of its text (about 150 characters, cut
 * at a word), or only the count where the text is not shown (rejected, withheld).
 */
function pageDescription(row: PetitionRow, locale: Locale, withheld: boolean): string {
  const count = t(locale, 'petition.ogDescription', { count: row.public_count });
  const text = isPublic(row.state) && !withheld && row.body ? row.body.replace(/\s+/g, ' ').trim() : '';
  if (!text) return `${row.title} — ${count}`;
  const cut = text.length > 150 ? `${text.slice(0, 150).replace(/\s+\S*$/, '')}…` : text;
  return `${count} · ${cut}`;
}
