/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { agreeByEmail, type SigningDeps } from '../../commands/agree-by-email.js';
import { agreeSignedIn } from '../../commands/agree-signed-in.js';
import { confirmAgreement } from '../../commands/confirm-agreement.js';
import { SPONSOR_PAGE_STATES, takesSponsorAgreement } from '../../domain/admission.js';
import { DomainError } from '../../domain/errors.js';
import { canonicalEmail, displayName, personId } from '../../domain/identity.js';
import { isReviewable } from '../../domain/petition-states.js';
import { type PlaceTaxonomy, parsePlace, placesOf } from '../../domain/places.js';
import { isRecordNumber } from '../../domain/record-numbers.js';
import { hashToken, isTokenShaped } from '../../domain/tokens.js';
import { errorMessage, type Locale, t } from '../../i18n/index.js';
import type { Mailer } from '../../notifications/mailer.js';
import { formatDate } from '../../presenters/format.js';
import { latestDevMail } from '../../repositories/dev-mailbox.js';
import { findConfirmationLink, findSponsorPagePetition, petitionTitle } from '../../repositories/signing.js';
import type { SigningAnswer } from '../../signing/agreement-batch.js';
import type { AgreeOutcome } from '../../signing/agreement-writer.js';
import type { OidcClient, PendingLogin, VerifiedIdentity } from '../../signing/oidc.js';
import type { SigningRateLimits } from '../../signing/rate-limits.js';
import { siteAssets } from '../assets.js';
import { HTTP_STATUS } from '../errors.js';
import { clientAddress } from '../middleware/client-address.js';
import { formFields, localeOf } from '../middleware/forms.js';
import { type PageContext, pageContext } from '../middleware/locale.js';
import {
  LOGIN_COOKIE,
  SESSION_COOKIE,
  SESSION_HOURS,
  sessionPerson,
  sessionValue,
  sign,
  unsign,
} from '../middleware/session.js';
import type { Site } from '../site.js';
import { type AgreeField, AgreementForm } from '../views/agreement-form.js';
import { ErrorSummary, type FieldError } from '../views/form-errors.js';
import { Layout } from '../views/layout.js';

/** Everything the signing routes need; absent → the site is read-only (no agreement forms). */
export interface SigningContext {
  /** What the signing commands need (writer, mailer, secret, public URL, clock). */
  deps: SigningDeps;
  limits: SigningRateLimits;
  /** Configured OpenID Connect providers, in button order. */
  providers: Array<{ id: string; label: string; client: OidcClient }>;
  /** Key of the signed session and login cookies (the deployment's secret). */
  cookieSecret: string;
  /** Cookies only over https when the public URL is https. */
  secureCookies: boolean;
  /** Show sent mail at /dev/mailbox (deployments without SMTP). */
  devMailbox: boolean;
  /** The deployment's mailer, for mail other than agreements (petition creation); absent → creation is off. */
  mailer?: Mailer;
}

/**
 * The signer's receipt in an agreement answer: petition, receipt secret (32 hex), leaf index once sequenced (a
 * one-click agreement at once, an emailed one at confirmation) and where its `.tlog-proof` bundle is downloaded.
 */
function receiptJson(petitionId: string, outcome: SigningAnswer): Record<string, unknown> {
  if (!outcome.receiptSecret) return {};
  const leafIndex = 'leafIndex' in outcome && outcome.leafIndex !== undefined ? outcome.leafIndex : null;
  return {
    receipt: {
      petition_id: Number(petitionId),
      receipt_secret: outcome.receiptSecret,
      leaf_index: leafIndex === null ? null : Number(leafIndex),
      proof_url: leafIndex === null ? null : `/log/petitions/${petitionId}/proof/${leafIndex}`,
    },
  };
}

const wantsJson = (c: Context) => (c.req.header('accept') ?? '').includes('application/json');

/** Mounts the signing path: agree (email or one click), confirm emailed links, sign in with OIDC, dev mailbox. */
export function registerSigningRoutes(app: Hono, site: Site, signing: SigningContext): void {
  app.post('/petitions/:id/agreements', async (c) => {
    const petitionId = c.req.param('id');
    if (!isRecordNumber(petitionId))
      throw new DomainError('invalid_parameter', t(localeOf(c), 'errorPage.petitionNumber'));
    await signing.limits.take(clientAddress(c), petitionId);
    const fields = await formFields(c);
    const person = sessionPerson(c, signing);
    const notify = fields.notify === 'on' || fields.notify === 'true';
    const places = site.profile(site.deploymentProfile).profile.places;
    if (fields.method === 'oidc' && !person) {
      throw new DomainError('unauthenticated', t(localeOf(c), 'signin.expiredAgree'));
    }
    let outcome: SigningAnswer;
    let method: 'email' | 'oidc';
    if (person && fields.method !== 'email') {
      method = 'oidc';
      outcome = await agreeSignedIn(signing.deps, {
        petitionId,
        personId: person,
        region: fields.region,
        postcode: fields.postcode,
        places,
        notify,
        locale: c.var.locale,
        sponsorToken: fields.sponsor_token,
        receiptSecret: fields.receipt_secret,
        clientAddress: clientAddress(c),
      });
    } else {
      method = 'email';
      try {
        outcome = await agreeByEmail(signing.deps, {
          petitionId,
          name: fields.name ?? '',
          email: fields.email ?? '',
          region: fields.region,
          postcode: fields.postcode,
          places,
          notify,
          locale: c.var.locale,
          sponsorToken: fields.sponsor_token,
          receiptSecret: fields.receipt_secret,
          clientAddress: clientAddress(c),
        });
      } catch (error) {
        // a refused field: the form again, with what was typed and the refusal tied to its field
        const field = error instanceof DomainError ? AGREE_FIELD_OF[error.code] : undefined;
        if (!field || wantsJson(c)) throw error;
        const page = pageContext(c);
        const message = errorMessage(
          page.locale,
          (error as DomainError).code,
          (error as DomainError).message,
        );
        return c.html(
          <AgreeAgainPage
            site={site}
            page={page}
            petitionId={petitionId}
            signing={signing}
            sponsorToken={fields.sponsor_token}
            values={{
              name: fields.name,
              email: fields.email,
              region: fields.region,
              postcode: fields.postcode,
              notify,
            }}
            errors={allAgreeErrors(page.locale, places, fields, { field, message })}
          />,
          HTTP_STATUS[(error as DomainError).code],
        );
      }
    }
    // the email path answers the same whether or not the address had signed: it never reveals who agreed
    const shown = method === 'email' && outcome.status === 'already_agreed' ? 'pending' : outcome.status;
    if (wantsJson(c))
      return c.json(
        { status: shown, petition_id: Number(petitionId), ...receiptJson(petitionId, outcome) },
        shown === 'agreed' ? 201 : 200,
      );
    return c.html(
      <AgreementResultPage
        site={site}
        petitionId={petitionId}
        status={shown}
        devMailbox={signing.devMailbox}
        page={pageContext(c)}
        receipt={receiptJson(petitionId, outcome).receipt as ReceiptView | undefined}
      />,
    );
  });

  app.get('/petitions/:id/sponsor', async (c) => {
    const petitionId = c.req.param('id');
    const token = c.req.query('token') ?? '';
    const petition = isRecordNumber(petitionId)
      ? await findSponsorPagePetition(
          site.db,
          petitionId,
          isTokenShaped(token) ? hashToken(token) : '',
          SPONSOR_PAGE_STATES,
        )
      : undefined;
    // a wrong link looks exactly like no petition: it reveals nothing about unpublished petitions
    if (!petition) throw new DomainError('petition_not_found', t(localeOf(c), 'sponsor.notFound'));
    const page = pageContext(c);
    const { locale } = page;
    // the petitioner's own words keep their language, and say so on an English page
    const textLang = (text: string) => (locale !== 'ko' && HANGUL.test(text) ? 'ko' : undefined);
    // the local date the review began, ISO (2026-11-25) in both languages
    const since = formatDate(petition.review_started_at, site.profile(petition.profile).timeZone);
    return c.html(
      <Layout
        title={t(locale, 'sponsor.title', { title: petition.title })}
        categories={site.categories(locale)}
        locale={locale}
        url={page.url}
      >
        {isReviewable(petition.state) ? (
          <p class="notice" role="status">
            {since ? t(locale, 'sponsor.inReviewSince', { since }) : t(locale, 'sponsor.inReview')}
          </p>
        ) : (
          <p class="notice">{t(locale, 'sponsor.notice')}</p>
        )}
        <h1 lang={textLang(petition.title)}>{petition.title}</h1>
        {petition.body ? (
          <p class="petition-body" lang={textLang(petition.body)}>
            {petition.body}
          </p>
        ) : null}
        {takesSponsorAgreement(petition) ? (
          <AgreementForm
            petitionId={petition.id}
            signedIn={sessionPerson(c, signing) !== null}
            providers={signing.providers}
            sponsorToken={token}
            locale={locale}
            places={placesOf(site.profile(site.deploymentProfile).profile.places)}
            askPostcode={site.profile(site.deploymentProfile).profile.places === 'uk'}
          />
        ) : null}
      </Layout>,
    );
  });

  app.get('/agreements/confirm', async (c) => {
    const token = c.req.query('token') ?? '';
    // a link that cannot be one of ours says so at once, rather than after the button
    if (!isTokenShaped(token)) {
      throw new DomainError('invalid_token', t(localeOf(c), 'error.invalid_token'));
    }
    // shows a button, changes nothing: link scanners that prefetch it confirm nothing
    const link = await findConfirmationLink(site.db, hashToken(token));
    if (!link) throw new DomainError('invalid_token', t(localeOf(c), 'error.invalid_token'));
    const page = pageContext(c);
    const { locale } = page;
    const title = <q lang={locale !== 'ko' && HANGUL.test(link.title) ? 'ko' : undefined}>{link.title}</q>;
    return c.html(
      <Layout
        title={t(locale, link.confirmed ? 'confirm.usedTitle' : 'confirm.title')}
        categories={site.categories(locale)}
        locale={locale}
        url={page.url}
      >
        <h1>{t(locale, link.confirmed ? 'confirm.usedTitle' : 'confirm.title')}</h1>
        <p class="confirm-petition">
          {t(locale, 'confirm.petition')} {title}
        </p>
        {link.confirmed ? (
          <p role="status">{t(locale, 'confirm.used')}</p>
        ) : (
          <>
            <p>{t(locale, 'confirm.explain')}</p>
            <form method="post" action="/agreements/confirm">
              <input type="hidden" name="token" value={token} />
              <button type="submit" class="button">
                {t(locale, 'confirm.button')}
              </button>
            </form>
          </>
        )}
        <p>
          <a href={`/petitions/${link.petitionId}`}>{t(locale, 'confirm.readPetition')}</a>
        </p>
      </Layout>,
    );
  });

  app.post('/agreements/confirm', async (c) => {
    const fields = await formFields(c);
    await signing.limits.take(clientAddress(c), 'confirm');
    const outcome = await confirmAgreement(signing.deps, fields.token ?? '');
    const leafIndex = outcome.status === 'confirmed' ? (outcome.leafIndex ?? null) : null;
    const proofUrl = leafIndex === null ? null : `/log/petitions/${outcome.petitionId}/proof/${leafIndex}`;
    if (wantsJson(c))
      return c.json({
        status: outcome.status,
        petition_id: Number(outcome.petitionId),
        // the receipt secret was given when the agreement was submitted; the leaf exists from now on
        ...(leafIndex === null ? {} : { receipt: { leaf_index: Number(leafIndex), proof_url: proofUrl } }),
      });
    const page = pageContext(c);
    const m = (key: Parameters<typeof t>[1]) => t(page.locale, key);
    // a second press of a used button says so, rather than "added" again
    const used = outcome.status === 'already_confirmed';
    const title = await petitionTitle(site.db, outcome.petitionId);
    return c.html(
      <Layout
        title={m(used ? 'confirm.usedTitle' : 'confirm.doneTitle')}
        categories={site.categories(page.locale)}
        locale={page.locale}
        url={page.url}
      >
        <h1>{m(used ? 'confirm.usedTitle' : 'confirm.doneTitle')}</h1>
        <p class="confirm-petition">
          {m('confirm.petition')}{' '}
          <q lang={page.locale !== 'ko' && HANGUL.test(title) ? 'ko' : undefined}>{title}</q>
        </p>
        <p role="status">{m(used ? 'confirm.used' : 'confirm.done')}</p>
        {proofUrl ? (
          <p>
            {t(page.locale, 'receipt.leaf', { index: String(leafIndex) })}{' '}
            <a href={proofUrl} download>
              {m('receipt.download')}
            </a>
          </p>
        ) : null}
        <p>
          <a href={`/petitions/${outcome.petitionId}`}>{m('agreed.back')}</a>
        </p>
      </Layout>,
    );
  });

  app.get('/auth/:provider/login', async (c) => {
    const provider = signing.providers.find((p) => p.id === c.req.param('provider'));
    if (!provider) throw new DomainError('not_found', t(localeOf(c), 'signin.noSuchProvider'));
    const returnTo = safeReturnPath(c.req.query('return_to'));
    const { url, pending } = await provider.client.startLogin();
    const login = sign(
      Buffer.from(JSON.stringify({ pending, returnTo })).toString('base64url'),
      signing.cookieSecret,
    );
    setCookie(c, LOGIN_COOKIE, login, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: signing.secureCookies,
      path: '/auth',
      maxAge: 600,
    });
    return c.redirect(url, 302);
  });

  app.get('/auth/:provider/callback', async (c) => {
    const provider = signing.providers.find((p) => p.id === c.req.param('provider'));
    if (!provider) throw new DomainError('not_found', t(localeOf(c), 'signin.noSuchProvider'));
    const raw = unsign(getCookie(c, LOGIN_COOKIE), signing.cookieSecret);
    if (!raw) throw new DomainError('identity_error', t(localeOf(c), 'signin.expired'));
    deleteCookie(c, LOGIN_COOKIE, { path: '/auth' });
    let login: { pending: PendingLogin; returnTo: string };
    try {
      login = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      throw new DomainError('identity_error', t(localeOf(c), 'signin.malformed'));
    }
    let identity: VerifiedIdentity;
    try {
      identity = await provider.client.finishLogin(c.req.url, login.pending);
    } catch (error) {
      throw signInRefusal(error, localeOf(c));
    }
    const person = personId(
      signing.deps.secret,
      identity.personClaim === 'sub'
        ? { kind: 'oidc', issuer: identity.issuer, subject: identity.subject }
        : { kind: 'claim', claim: identity.personClaim, value: identity.personValue },
    );
    setCookie(c, SESSION_COOKIE, sign(sessionValue(person), signing.cookieSecret), {
      httpOnly: true,
      sameSite: 'Lax',
      secure: signing.secureCookies,
      path: '/',
      maxAge: SESSION_HOURS * 3600,
    });
    return c.redirect(safeReturnPath(login.returnTo), 302);
  });

  app.post('/auth/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });

  if (signing.devMailbox) {
    app.get('/dev/mailbox', async (c) => {
      // the mailbox holds people's addresses and live confirmation links: only for the machine it runs on
      if (!fromThisMachine(c)) throw new DomainError('not_found', t(localeOf(c), 'errorPage.noSuchPage'));
      const mails = await latestDevMail(site.db, 50);
      const page = pageContext(c);
      const msg = (key: Parameters<typeof t>[1], values?: Parameters<typeof t>[2]) =>
        t(page.locale, key, values);
      return c.html(
        <Layout
          title={msg('mailbox.title')}
          categories={site.categories(page.locale)}
          locale={page.locale}
          url={page.url}
        >
          <h1>{msg('mailbox.title')}</h1>
          <p class="notice">{msg('mailbox.explain')}</p>
          {mails.length === 0 ? <p class="empty">{msg('mailbox.empty')}</p> : null}
          {mails.map((m) => (
            <article class="mail">
              <h2>{m.subject}</h2>
              <p class="response-meta">
                {msg('mailbox.meta', {
                  recipient: m.recipient,
                  at: m.sent_at,
                })}
              </p>
              <pre class="mail-text">{m.text}</pre>
              {/* agreement and petition-creation mails alike: the first confirmation link of the text */}
              {confirmLinkIn(m.text) ? (
                <p>
                  <a href={confirmLinkIn(m.text)}>{msg('mailbox.openLink')}</a>
                </p>
              ) : null}
            </article>
          ))}
        </Layout>,
      );
    });
  }
}

/**
 * A failed sign-in as a citizen reads it, in `locale`. The OpenID Connect client's messages name the check that
 * failed in English for operators (e.g. 'unexpected "state" response parameter value'); the page says instead that
 * the person cancelled (`reason` `access_denied`: they refused at the provider) or that their identity could not be
 * confirmed and they may sign in again or agree by email. Code, `details` ({ provider, reason }) and the original
 * error (`cause`) are kept; anything but an `identity_error` passes unchanged.
 */
function signInRefusal(error: unknown, locale: Locale): unknown {
  if (!(error instanceof DomainError) || error.code !== 'identity_error') return error;
  const key = error.details?.reason === 'access_denied' ? 'signin.cancelled' : 'signin.failed';
  const refusal = new DomainError('identity_error', t(locale, key), error.details);
  refusal.cause = error;
  return refusal;
}

const HANGUL = /[\uac00-\ud7a3]/;

/** True for loopback client addresses (and in-process requests, which have none). */
function isLoopback(address: string | undefined): boolean {
  return address === undefined || address === '::1' || /^(::ffff:)?127\./.test(address);
}

/**
 * Whether a request comes from the machine the server runs on: from a loopback address, and not relayed by a
 * proxy — a reverse proxy on the same host makes every visitor's request arrive from loopback, so a request that
 * carries any proxy header is not local, whatever TRUST_PROXY says.
 */
function fromThisMachine(c: Context): boolean {
  for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via'])
    if (c.req.header(header)) return false;
  return isLoopback(clientAddress(c));
}

/** The confirmation link in a mail's text (agreeing, or starting a petition), if it has one. */
function confirmLinkIn(text: string): string | undefined {
  return /https?:\/\/\S+\/(?:agreements|petitions\/new)\/confirm\?token=\S+/.exec(text)?.[0];
}

/** A same-site path to return to after login; anything else becomes '/'. */
function safeReturnPath(raw: string | undefined): string {
  return raw && /^\/(?![/\\])[\x21-\x7e]*$/.test(raw) ? raw : '/';
}

/** Refusals of the email path that belong to one field of the form. */
const AGREE_FIELD_OF: Partial<Record<string, AgreeField>> = {
  invalid_name: 'agree-name',
  invalid_email: 'agree-email',
  invalid_region: 'agree-region',
  invalid_postcode: 'agree-postcode',
};

/**
 * Every refusal of the agree form at once, in the form's order (name, email, region): the command stops at its
 * first, so the other fields are checked here with the same domain rules (`displayName`, `canonicalEmail`,
 * `parsePlace` in the site's place taxonomy), and the command's own refusal is kept (e.g. an address the mail server refused).
 */
function allAgreeErrors(
  locale: Locale,
  places: PlaceTaxonomy,
  fields: { name?: string | undefined; email?: string | undefined; region?: string | undefined },
  refused: FieldError<AgreeField>,
): FieldError<AgreeField>[] {
  const checks: Array<[AgreeField, () => unknown]> = [
    ['agree-name', () => displayName(fields.name ?? '')],
    ['agree-email', () => canonicalEmail(fields.email ?? '')],
    ['agree-region', () => parsePlace(places, fields.region)],
  ];
  return checks.flatMap(([field, check]): FieldError<AgreeField>[] => {
    if (field === refused.field) return [refused];
    try {
      check();
      return [];
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return [{ field, message: errorMessage(locale, error.code, error.message) }];
    }
  });
}

/**
 * The agree form shown again after a refused field: an error summary (announced, focused, linking to the field),
 * the field marked invalid with its refusal, and everything typed kept. Links back to the petition.
 */
function AgreeAgainPage(props: {
  site: Site;
  page: PageContext;
  petitionId: string;
  signing: SigningContext;
  sponsorToken: string | undefined;
  values: NonNullable<Parameters<typeof AgreementForm>[0]['values']>;
  errors: FieldError<AgreeField>[];
}) {
  const { locale } = props.page;
  const back = props.sponsorToken
    ? `/petitions/${props.petitionId}/sponsor?token=${encodeURIComponent(props.sponsorToken)}`
    : `/petitions/${props.petitionId}`;
  return (
    <Layout
      title={t(locale, 'agree.heading')}
      categories={props.site.categories(locale)}
      locale={locale}
      url={back}
      head={<script src={siteAssets().scripts['petition-form']} defer />}
    >
      <ErrorSummary locale={locale} errors={props.errors} />
      <AgreementForm
        petitionId={props.petitionId}
        signedIn={false}
        providers={props.signing.providers}
        sponsorToken={props.sponsorToken}
        locale={locale}
        places={placesOf(props.site.profile(props.site.deploymentProfile).profile.places)}
        askPostcode={props.site.profile(props.site.deploymentProfile).profile.places === 'uk'}
        values={props.values}
        errors={props.errors}
      />
      <p>
        <a href={back}>{t(locale, 'agreed.back')}</a>
      </p>
    </Layout>
  );
}

/** The receipt as `receiptJson` gives it. */
interface ReceiptView {
  petition_id: number;
  receipt_secret: string;
  leaf_index: number | null;
  proof_url: string | null;
}

/** The signer's receipt on the answer page: the secret to keep, the leaf once sequenced, the proof download. */
function Receipt(props: { receipt: ReceiptView; locale: PageContext['locale'] }) {
  const { receipt, locale } = props;
  return (
    <section class="receipt" aria-labelledby="receipt-title">
      <h2 id="receipt-title">{t(locale, 'receipt.title')}</h2>
      <p>{t(locale, 'receipt.explain')}</p>
      <dl>
        <dt>{t(locale, 'receipt.petition')}</dt>
        <dd>{receipt.petition_id}</dd>
        <dt>{t(locale, 'receipt.secret')}</dt>
        <dd>
          <code>{receipt.receipt_secret}</code>
        </dd>
        <dt>{t(locale, 'receipt.index')}</dt>
        <dd>{receipt.leaf_index === null ? t(locale, 'receipt.indexLater') : receipt.leaf_index}</dd>
      </dl>
      {receipt.proof_url ? (
        <p>
          <a href={receipt.proof_url} download>
            {t(locale, 'receipt.download')}
          </a>
        </p>
      ) : null}
    </section>
  );
}

function AgreementResultPage(props: {
  site: Site;
  petitionId: string;
  status: AgreeOutcome['status'];
  devMailbox: boolean;
  page: PageContext;
  receipt?: ReceiptView | undefined;
}) {
  const { locale } = props.page;
  const m = (key: Parameters<typeof t>[1]) => t(locale, key);
  const title = m(
    props.status === 'pending'
      ? 'agreed.pendingTitle'
      : props.status === 'agreed'
        ? 'agreed.agreedTitle'
        : 'agreed.alreadyTitle',
  );
  return (
    <Layout title={title} categories={props.site.categories(locale)} locale={locale} url={props.page.url}>
      <h1>{title}</h1>
      {props.status === 'pending' ? (
        <>
          <p role="status">{m('agreed.pending')}</p>
          {props.devMailbox ? (
            <p>
              {m('agreed.devMailbox')} <a href="/dev/mailbox">{m('agreed.devMailboxLink')}</a>
            </p>
          ) : null}
        </>
      ) : props.status === 'agreed' ? (
        <p role="status">{m('agreed.agreed')}</p>
      ) : (
        <p role="status">{m('agreed.already')}</p>
      )}
      {props.receipt && props.status !== 'already_agreed' ? (
        <Receipt receipt={props.receipt} locale={locale} />
      ) : null}
      <p>
        <a href={`/petitions/${props.petitionId}`}>{m('agreed.back')}</a>
      </p>
    </Layout>
  );
}
