/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { confirmPetitionCreation } from '../../commands/confirm-petition-creation.js';
import { countCreatorAgreement } from '../../commands/count-creator-agreement.js';
import { issueSponsorToken } from '../../commands/issue-sponsor-token.js';
import { sponsorUrl } from '../../commands/send-sponsor-link.js';
import { type PetitionCreationDeps, submitPetition } from '../../commands/submit-petition.js';
import { DomainError } from '../../domain/errors.js';
import { canonicalEmail, displayName } from '../../domain/identity.js';
import { detectPersonalData, type PersonalDataFlag } from '../../domain/personal-data.js';
import {
  checkPetitionText,
  type PetitionTextField,
  type PetitionTextIssue,
  petitionTextLength,
} from '../../domain/petition-text.js';
import { getProfile, type PolicyProfile } from '../../domain/policy-profiles.js';
import { isTokenShaped, TOKEN_BYTES, tokenFromBytes } from '../../domain/tokens.js';
import { formatNumber, type Locale, type MessageKey, t } from '../../i18n/index.js';
import { type SimilarPetition, similarPetitions } from '../../repositories/similar-petitions.js';
import { siteAssets } from '../assets.js';
import { HTTP_STATUS } from '../errors.js';
import { clientAddress } from '../middleware/client-address.js';
import { formFields } from '../middleware/forms.js';
import { type PageContext, pageContext } from '../middleware/locale.js';
import { sameOriginWrites } from '../middleware/same-origin.js';
import { sessionPerson } from '../middleware/session.js';
import type { SigningContext } from '../signing/routes.js';
import type { Site } from '../site.js';
import {
  ContactFields,
  ErrorSummary,
  fieldError,
  type FieldError as GenericFieldError,
} from '../views/form-errors.js';
import { Layout } from '../views/layout.js';

/**
 * The largest creation form accepted (bytes): a 10,000-character Korean body is 30 KB of UTF-8 and up to 90 KB
 * percent-encoded, carried with the title through the later stages.
 */
const MAX_CREATE_FORM_BYTES = 128 * 1024;

/** The stages of the form, in order; `go` on a button names the stage to show next. */
type Stage = 'title' | 'similar' | 'body' | 'check';
const STAGES: readonly Stage[] = ['title', 'similar', 'body', 'check'];

/** The small same-origin script that shows limits as the creator types (progressive enhancement). */

/** A refusal shown in the form (see `FieldError` in pages/form-errors.tsx). */
type FieldError = GenericFieldError<PetitionTextField | 'name' | 'email'>;

/** What the form carries from stage to stage (hidden inputs; nothing is stored before the final submit). */
interface Draft {
  key: string;
  category: string;
  title: string;
  body: string;
  name: string;
  email: string;
}

/**
 * Mounts petition creation (issue 6): `GET /petitions/new` starts the staged form, `POST /petitions/new` moves
 * between its stages (category + title → similar petitions → body → check and submit), and
 * `GET|POST /petitions/new/confirm` confirms the creator's emailed link (the GET only shows a button). Everything
 * works without JavaScript; `/assets/petition-form.<hash>.js` only adds counters and focus.
 * Needs the deployment's mailer (`signing.mailer`); without one, nothing is mounted.
 */
export function registerCreateRoutes(app: Hono, site: Site, signing: SigningContext): void {
  const mailer = signing.mailer;
  if (!mailer) return;
  const profile = getProfile(site.deploymentProfile);
  if (profile.archiveOnly) return;
  /** Links in mail and on pages start with PUBLIC_URL, else with the origin the request came to. */
  const depsFor = (c: Context): PetitionCreationDeps => ({
    db: site.db,
    mailer,
    publicUrl: site.publicUrl ?? new URL(c.req.url).origin,
    issueSponsorToken: (id) => issueSponsorToken(signing.deps, id),
    preAgreementThreshold: (code) => site.profile(code).settings.preAgreementThreshold,
    // the creator's own agreement counts where the profile says so (UK); signed in, it is the session's person
    countCreator: (id, creator) => {
      const person = sessionPerson(c, signing);
      return countCreatorAgreement(signing.deps, {
        petitionId: id,
        profile: profile.code,
        person: person ? { personId: person } : { email: creator.email },
        locale: creator.locale,
      });
    },
  });
  app.use('/petitions/new', sameOriginWrites(site.publicUrl ? [site.publicUrl] : []));
  app.use('/petitions/new/*', sameOriginWrites(site.publicUrl ? [site.publicUrl] : []));

  app.get('/petitions/new', (c) => {
    const page = pageContext(c);
    const draft: Draft = {
      key: tokenFromBytes(randomBytes(TOKEN_BYTES)),
      category: '',
      title: '',
      body: '',
      name: '',
      email: '',
    };
    return c.html(
      <CreateForm site={site} page={page} profile={profile} stage="title" draft={draft} errors={[]} />,
    );
  });

  app.post('/petitions/new', async (c) => {
    const page = pageContext(c);
    const { locale } = page;
    await signing.limits.take(clientAddress(c), 'create');
    const fields = await formFields(c, MAX_CREATE_FORM_BYTES);
    const draft: Draft = {
      key: fields.key ?? '',
      category: fields.category ?? '',
      title: fields.title ?? '',
      body: fields.body ?? '',
      name: fields.name ?? '',
      email: fields.email ?? '',
    };
    if (!isTokenShaped(draft.key))
      throw new DomainError('invalid_body', t(locale, 'create.error.formExpired'), { field: 'key' });
    const go = fields.go ?? '';
    const signedIn = sessionPerson(c, signing) !== null;
    const show = (stage: Stage, errors: FieldError[], extra: { similar?: SimilarPetition[] } = {}) =>
      c.html(
        <CreateForm
          site={site}
          page={page}
          profile={profile}
          stage={stage}
          draft={draft}
          errors={errors}
          similar={extra.similar}
          signedIn={signedIn}
        />,
        errors.length > 0 ? HTTP_STATUS.invalid_petition : 200,
      );
    const check = (fieldsNow: readonly PetitionTextField[]) =>
      checkPetitionText(profile, draft, fieldsNow).issues.map((i) => textError(locale, profile, i));

    if (go === 'title') return show('title', []);
    const titleErrors = check(['category', 'title']);
    if (titleErrors.length > 0) return show('title', titleErrors);
    if (go === 'similar') {
      const similar = await similarPetitions(site.db, { title: draft.title }, 5);
      // nothing alike: straight on to the body (the similar stage would only say "none")
      return similar.length > 0 ? show('similar', [], { similar }) : show('body', []);
    }
    if (go === 'body') return show('body', []);
    const bodyErrors = check(['body']);
    if (bodyErrors.length > 0) return show('body', bodyErrors);
    if (go === 'check') return show('check', []);
    if (go !== 'submit') throw new DomainError('invalid_body', t(locale, 'create.error.formExpired'));

    const contactErrors: FieldError[] = [];
    const deps = depsFor(c);
    try {
      const outcome = await submitPetition(deps, {
        profile: profile.code,
        category: draft.category,
        title: draft.title,
        body: draft.body,
        submissionKey: draft.key,
        name: draft.name,
        email: draft.email,
        locale,
        signedIn,
        now: site.now(),
      });
      if (outcome.status === 'collecting')
        return c.html(
          <SponsorLinkPage
            site={site}
            page={page}
            petitionId={outcome.petitionId}
            link={sponsorUrl(deps.publicUrl, outcome.petitionId, outcome.sponsorToken)}
            mailed
            threshold={site.profile(profile.code).settings.preAgreementThreshold}
          />,
          201,
        );
      return c.html(
        <CheckMailPage
          site={site}
          page={page}
          replayed={outcome.status === 'replayed'}
          devMailbox={signing.devMailbox}
        />,
        outcome.status === 'replayed' ? 200 : 201,
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code !== 'invalid_name' && error.code !== 'invalid_email') throw error;
      // both fields at once: the submission stops at the first refusal, the person should not have to come back twice
      const refuses = (check: () => unknown) => {
        try {
          check();
          return false;
        } catch (e) {
          if (e instanceof DomainError) return true;
          throw e;
        }
      };
      if (error.code === 'invalid_name' || refuses(() => displayName(draft.name))) {
        // a name that is a link or starts like a formula is told so; otherwise: missing or too long
        const reason = nameRefusal(draft.name);
        const key: MessageKey =
          reason === 'link'
            ? 'create.error.nameLink'
            : reason === 'formula_prefix'
              ? 'create.error.nameFormula'
              : 'create.error.name';
        contactErrors.push({ field: 'name', message: t(locale, key) });
      }
      if (error.code === 'invalid_email' || refuses(() => canonicalEmail(draft.email)))
        contactErrors.push({ field: 'email', message: t(locale, 'create.error.email') });
    }
    return show('check', contactErrors);
  });

  app.get('/petitions/new/confirm', (c) => {
    const page = pageContext(c);
    const m = (key: MessageKey) => t(page.locale, key);
    // shows a button, changes nothing: link scanners that prefetch it confirm nothing
    return c.html(
      <Layout
        title={m('create.confirm.title')}
        categories={site.categories(page.locale)}
        locale={page.locale}
        url={page.url}
      >
        <h1>{m('create.confirm.title')}</h1>
        <p>{m('create.confirm.explain')}</p>
        <form method="post" action="/petitions/new/confirm">
          <input type="hidden" name="token" value={c.req.query('token') ?? ''} />
          <button type="submit" class="krds-btn medium primary">
            {m('create.confirm.button')}
          </button>
        </form>
      </Layout>,
    );
  });

  app.post('/petitions/new/confirm', async (c) => {
    const page = pageContext(c);
    const fields = await formFields(c);
    await signing.limits.take(clientAddress(c), 'confirm');
    const deps = depsFor(c);
    const outcome = await confirmPetitionCreation(deps, fields.token ?? '', site.now());
    const threshold = site.profile(profile.code).settings.preAgreementThreshold;
    if (outcome.status === 'already_confirmed') {
      return c.html(
        <Layout
          title={t(page.locale, 'create.confirmed.againTitle')}
          categories={site.categories(page.locale)}
          locale={page.locale}
          url={page.url}
        >
          <h1>{t(page.locale, 'create.confirmed.againTitle')}</h1>
          <p role="status">{t(page.locale, 'create.confirmed.again')}</p>
        </Layout>,
      );
    }
    return c.html(
      <SponsorLinkPage
        site={site}
        page={page}
        petitionId={outcome.petitionId}
        link={sponsorUrl(deps.publicUrl, outcome.petitionId, outcome.sponsorToken)}
        mailed={outcome.mailed}
        threshold={threshold}
      />,
    );
  });
}

/** The sentence for a text refusal, in the page's language. */
function textError(locale: Locale, profile: PolicyProfile, issue: PetitionTextIssue): FieldError {
  const field = issue.field;
  const key: MessageKey =
    issue.problem === 'too_long'
      ? field === 'title'
        ? 'create.error.titleTooLong'
        : 'create.error.bodyTooLong'
      : issue.problem === 'control_character'
        ? 'create.error.controlCharacter'
        : issue.problem === 'link'
          ? 'create.error.titleLink'
          : issue.problem === 'formula_prefix'
            ? 'create.error.titleFormula'
            : issue.problem === 'unknown_category'
              ? 'create.error.unknownCategory'
              : field === 'category'
                ? 'create.error.categoryMissing'
                : field === 'title'
                  ? 'create.error.titleMissing'
                  : 'create.error.bodyMissing';
  const limit = field === 'title' ? profile.textLimits.title : profile.textLimits.body;
  return {
    field,
    message: t(locale, key, { limit, length: issue.length ?? 0, over: (issue.length ?? 0) - limit }),
  };
}

/** "0 / 100" counter: static text without JavaScript, live (polite) with it. */
function Counter(props: { locale: Locale; field: 'title' | 'body'; value: string; limit: number }) {
  const length = petitionTextLength(props.value);
  const over = length > props.limit;
  return (
    <p
      id={`${props.field}-count`}
      class="form-hint"
      aria-live="polite"
      data-counter-for={props.field}
      data-limit={String(props.limit)}
      data-template-ok={t(props.locale, 'create.counter', {
        count: '#',
        limit: formatNumber(props.locale, props.limit),
      })}
      data-template-over={t(props.locale, 'create.counterOver', {
        over: '#',
        limit: formatNumber(props.locale, props.limit),
      })}
    >
      {over
        ? t(props.locale, 'create.counterOver', {
            over: formatNumber(props.locale, length - props.limit),
            limit: formatNumber(props.locale, props.limit),
          })
        : t(props.locale, 'create.counter', {
            count: formatNumber(props.locale, length),
            limit: formatNumber(props.locale, props.limit),
          })}
    </p>
  );
}

const STAGE_TITLES: Record<Stage, MessageKey> = {
  title: 'create.stage.title',
  similar: 'create.stage.similar',
  body: 'create.stage.body',
  check: 'create.stage.check',
};

/** One stage of the creation form, with the fields of the other stages carried as hidden inputs. */
function CreateForm(props: {
  site: Site;
  page: PageContext;
  profile: PolicyProfile;
  stage: Stage;
  draft: Draft;
  errors: FieldError[];
  similar?: SimilarPetition[] | undefined;
  signedIn?: boolean;
}) {
  const { site, page, profile, stage, draft, errors } = props;
  const { locale } = page;
  const m = (key: MessageKey, values?: Record<string, string | number>) => t(locale, key, values);
  const step = STAGES.indexOf(stage) + 1;
  const heading = m(STAGE_TITLES[stage]);
  const hidden = (names: Array<keyof Draft>) =>
    names.map((n) => <input type="hidden" name={n} value={draft[n]} />);
  const categoryName = (code: string) =>
    profile.categories.find((cat) => cat.code === code)?.[locale] ?? code;
  const describedBy = (field: FieldError['field'], ...more: string[]) =>
    [...more, errors.some((e) => e.field === field) ? `${field}-error` : ''].filter(Boolean).join(' ') ||
    undefined;

  /** The title or body: label, its limit, its refusal, the input, and the counter that follows the typing. */
  const limitedText = (field: 'title' | 'body') => {
    const { error, element } = fieldError(errors, field);
    const limit = profile.textLimits[field];
    const aria = {
      'aria-invalid': error ? 'true' : undefined,
      'aria-describedby': describedBy(field, `${field}-hint`, `${field}-count`),
    };
    return (
      <>
        <label for={field}>{m(field === 'title' ? 'create.field.title' : 'create.field.body')}</label>
        <p id={`${field}-hint`} class="form-hint">
          {m(field === 'title' ? 'create.hint.title' : 'create.hint.body', {
            limit: formatNumber(locale, limit),
          })}
        </p>
        {element}
        {field === 'title' ? (
          <input
            id="title"
            name="title"
            type="text"
            required
            value={draft.title}
            autocomplete="off"
            {...aria}
          />
        ) : (
          <textarea id="body" name="body" required rows={14} {...aria}>
            {draft.body}
          </textarea>
        )}
        <Counter locale={locale} field={field} value={draft[field]} limit={limit} />
      </>
    );
  };

  let content: unknown;
  if (stage === 'title') {
    const cat = fieldError(errors, 'category');
    content = (
      <>
        {hidden(['key', 'body', 'name', 'email'])}
        <label for="category">{m('create.field.category')}</label>
        {cat.element}
        <select
          id="category"
          class="krds-form-select medium"
          name="category"
          required
          aria-invalid={cat.error ? 'true' : undefined}
          aria-describedby={describedBy('category')}
        >
          <option value="">{m('create.field.categoryChoose')}</option>
          {profile.categories.map((cc) => (
            <option value={cc.code} selected={cc.code === draft.category}>
              {cc[locale]}
            </option>
          ))}
        </select>
        {limitedText('title')}
        <p class="form-actions">
          <button type="submit" name="go" value="similar" class="krds-btn medium primary">
            {m('create.button.next')}
          </button>
        </p>
      </>
    );
  } else if (stage === 'similar') {
    content = (
      <>
        {hidden(['key', 'category', 'title', 'body', 'name', 'email'])}
        <p>{m('create.similar.explain')}</p>
        <ul class="similar-petitions">
          {(props.similar ?? []).map((s) => (
            <li>
              <a href={`/petitions/${s.id}`}>{s.title}</a>{' '}
              <span class="response-meta">({m('create.similar.count', { count: s.publicCount })})</span>
            </li>
          ))}
        </ul>
        <p>{m('create.similar.continueExplain')}</p>
        <p class="form-actions">
          <button type="submit" name="go" value="body" class="krds-btn medium primary">
            {m('create.button.continue')}
          </button>{' '}
          <button type="submit" name="go" value="title" class="krds-btn medium secondary">
            {m('create.button.editTitle')}
          </button>
        </p>
      </>
    );
  } else if (stage === 'body') {
    content = (
      <>
        {hidden(['key', 'category', 'title', 'name', 'email'])}
        <p>
          {categoryName(draft.category)} · <strong>{draft.title}</strong>
        </p>
        {limitedText('body')}
        <p class="form-actions">
          <button type="submit" name="go" value="check" class="krds-btn medium primary">
            {m('create.button.check')}
          </button>{' '}
          <button type="submit" name="go" value="title" class="krds-btn medium secondary">
            {m('create.button.editTitle')}
          </button>
        </p>
      </>
    );
  } else {
    const checked = checkPetitionText(profile, draft);
    const flags = [
      ...detectPersonalData(checked.title).map((f) => ({ ...f, where: 'title' as const })),
      ...detectPersonalData(checked.body).map((f) => ({ ...f, where: 'body' as const })),
    ];
    content = (
      <>
        {hidden(['key', 'category', 'title', 'body'])}
        <section aria-labelledby="preview-heading">
          <h2 id="preview-heading">{m('create.check.preview')}</h2>
          <p class="response-meta">{categoryName(checked.category)}</p>
          <p>
            <strong>{checked.title}</strong>
          </p>
          <div class="petition-body">
            {checked.body.split(/\n{2,}/).map((para) => (
              <p>{para}</p>
            ))}
          </div>
        </section>
        {flags.length > 0 ? (
          <section class="notice" aria-labelledby="pd-heading">
            <h2 id="pd-heading">{m('create.check.personalDataTitle')}</h2>
            <p>{m('create.check.personalDataExplain')}</p>
            <ul>
              {flags.map((f) => (
                <li>
                  {personalDataLabel(locale, f)} (
                  {m(f.where === 'title' ? 'create.field.title' : 'create.field.body')}
                  ): <mark>{f.text}</mark> → {f.mask}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="rules-heading">
          <h2 id="rules-heading">{m('create.check.rulesTitle')}</h2>
          <ul>
            {(
              [
                'create.rules.personalData',
                'create.rules.defamation',
                'create.rules.hate',
                'create.rules.duplicate',
                'create.rules.falseFacts',
                'create.rules.advertising',
                'create.rules.remit',
              ] as const
            ).map((k) => (
              <li>{m(k)}</li>
            ))}
          </ul>
          <p>
            {m('create.check.preAgreements', {
              count: site.profile(profile.code).settings.preAgreementThreshold,
            })}
          </p>
        </section>
        <section aria-labelledby="creator-heading">
          <h2 id="creator-heading">{m('create.check.creatorTitle')}</h2>
          <p id="creator-hint" class="form-hint">
            {m(props.signedIn ? 'create.check.creatorSignedIn' : 'create.check.creatorEmail')}
          </p>
          <ContactFields
            ids={{ name: 'name', email: 'email' }}
            labels={{ name: m('create.field.name'), email: m('create.field.email') }}
            values={draft}
            errors={errors}
            hint="creator-hint"
          />
          <p class="list-note">{m('create.check.privacy')}</p>
        </section>
        <p class="form-actions">
          <button type="submit" name="go" value="submit" class="krds-btn medium primary">
            {m('create.button.submit')}
          </button>{' '}
          <button type="submit" name="go" value="body" class="krds-btn medium secondary">
            {m('create.button.editBody')}
          </button>
        </p>
      </>
    );
  }

  return (
    <Layout
      title={`${heading} (${step}/4) · ${m('create.title')}`}
      categories={site.categories(locale)}
      locale={locale}
      url="/petitions/new"
      head={<script src={siteAssets().scripts['petition-form']} defer />}
    >
      <ErrorSummary locale={locale} errors={errors} />
      <h1>{m('create.title')}</h1>
      <p class="response-meta">{m('create.stepOf', { step, total: 4 })}</p>
      <h2>{heading}</h2>
      <form method="post" action="/petitions/new" novalidate>
        {content as never}
      </form>
    </Layout>
  );
}

/** The label of a personal-data kind, in the page's language. */
function personalDataLabel(locale: Locale, flag: PersonalDataFlag): string {
  const key = `create.pd.${flag.kind}`;
  return t(locale, key as MessageKey);
}

function CheckMailPage(props: { site: Site; page: PageContext; replayed: boolean; devMailbox: boolean }) {
  const { locale } = props.page;
  const m = (key: MessageKey) => t(locale, key);
  return (
    <Layout
      title={m('create.mail.title')}
      categories={props.site.categories(locale)}
      locale={locale}
      url={props.page.url}
    >
      <h1>{m('create.mail.title')}</h1>
      <p role="status">{m(props.replayed ? 'create.mail.replayed' : 'create.mail.sent')}</p>
      <p>{m('create.mail.expiry')}</p>
      {props.devMailbox ? (
        <p>
          <a href="/dev/mailbox">{m('create.mail.devMailbox')}</a>
        </p>
      ) : null}
    </Layout>
  );
}

function SponsorLinkPage(props: {
  site: Site;
  page: PageContext;
  petitionId: string;
  link: string;
  mailed: boolean;
  threshold: number;
}) {
  const { locale } = props.page;
  const m = (key: MessageKey, values?: Record<string, string | number>) => t(locale, key, values);
  return (
    <Layout
      title={m('create.link.title')}
      categories={props.site.categories(locale)}
      locale={locale}
      url={props.page.url}
    >
      <h1>{m('create.link.title')}</h1>
      <p role="status">{m('create.link.explain', { count: props.threshold })}</p>
      <label for="sponsor-link">{m('create.link.label')}</label>
      <input id="sponsor-link" type="text" readonly value={props.link} class="krds-input medium" />
      <p>
        <a href={props.link}>{m('create.link.open')}</a>
      </p>
      <p>{m(props.mailed ? 'create.link.mailed' : 'create.link.notMailed')}</p>
    </Layout>
  );
}

/** Why `displayName` refuses a name (its `details.reason`), or undefined when it accepts it. */
function nameRefusal(raw: string): string | undefined {
  try {
    displayName(raw);
    return undefined;
  } catch (e) {
    if (e instanceof DomainError) return String(e.details?.reason ?? '');
    throw e;
  }
}
