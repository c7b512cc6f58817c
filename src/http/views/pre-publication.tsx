/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { PetitionRow } from '../../db/schema.js';
import { t } from '../../i18n/index.js';
import type { PageContext } from '../middleware/locale.js';
import type { Site } from '../site.js';
import { stateLabel } from './components.js';
import { Layout } from './layout.js';

/**
 * The page of a petition before publication, at its number (petition.parliament.uk's "This petition is gathering
 * support" / "This petition is awaiting moderation"): its state, its supporters against the number needed, and
 * how long moderation usually takes (the profile's review target). Never its text: it has not been checked yet.
 */
export function PrePublicationPage(props: {
  site: Site;
  page: PageContext;
  row: PetitionRow;
  /** Supporters needed before moderation (the profile's pre-agreement threshold). */
  threshold: number;
  /** The review target (days) moderators work to. */
  reviewDays: number;
}) {
  const { row, page } = props;
  const locale = page.locale;
  const gathering = row.state === 'collecting_pre_agreements';
  const title = t(locale, gathering ? 'prepub.gatheringTitle' : 'prepub.moderationTitle');
  return (
    <Layout title={title} categories={props.site.categories(locale)} locale={locale} url={page.url}>
      <article class="petition">
        <p class="petition-labels">
          <span class={`state state-${row.state}`}>{stateLabel(locale, row.state)}</span>
        </p>
        <h1>{title}</h1>
        <p class="notice" role="status">
          {gathering
            ? t(locale, 'prepub.gathering', { count: row.agreement_count, threshold: props.threshold })
            : t(locale, 'prepub.moderation', { count: row.agreement_count, days: props.reviewDays })}
        </p>
        <p>{t(locale, 'prepub.textHidden')}</p>
      </article>
    </Layout>
  );
}
