/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import { type Place, placesOf } from '../../domain/places.js';
import { type Locale, t } from '../../i18n/index.js';
import { ContactFields, type FieldError, fieldError } from './form-errors.js';

/** The agree form's fields, by input id. */
export type AgreeField = 'agree-name' | 'agree-email' | 'agree-region' | 'agree-postcode';

/** The agreement form on a petition page: one click when signed in, else email, plus sign-in buttons. */
export function AgreementForm(props: {
  petitionId: string;
  signedIn: boolean;
  providers: Array<{ id: string; label: string }>;
  /** Present on the creator's private pre-agreement page (사전동의). */
  sponsorToken?: string;
  /** The places a signer may choose (the site profile's taxonomy; default the Korean 시·도). */
  places?: readonly Place[];
  /** Ask for a UK postcode (the UK site: it gives the signer's constituency; never stored). */
  askPostcode?: boolean;
  /** Language of the page (default Korean). */
  locale?: Locale;
  /** What the person typed, when the form is shown again after a refusal. */
  values?: { name?: string; email?: string; region?: string; postcode?: string; notify?: boolean };
  /** Refusals tied to their fields (`agree-name`, `agree-email`, `agree-region`). */
  errors?: FieldError<AgreeField>[];
}) {
  const locale = props.locale ?? 'ko';
  const m = (key: Parameters<typeof t>[1]) => t(locale, key);
  const errors = props.errors ?? [];
  const values = props.values ?? {};
  /** aria attributes of a field with its refusal, and the refusal's text under it. */
  const invalid = (field: AgreeField) => {
    const { error, element } = fieldError(errors, field);
    return {
      attrs: error ? { 'aria-invalid': 'true', 'aria-describedby': `${field}-error` } : {},
      element,
    };
  };
  const regionError = invalid('agree-region');
  const sponsorField = props.sponsorToken ? (
    <input type="hidden" name="sponsor_token" value={props.sponsorToken} />
  ) : null;
  const action = `/petitions/${props.petitionId}/agreements`;
  // back to where the form was after signing in: the creator's pre-agreement link while the petition collects them
  // (its public page does not exist yet), else the petition's page
  const returnTo = props.sponsorToken
    ? `/petitions/${props.petitionId}/sponsor?token=${encodeURIComponent(props.sponsorToken)}`
    : `/petitions/${props.petitionId}`;
  const regionSelect = (
    <p>
      <label for="agree-region">{m('agree.region')}</label>
      <select id="agree-region" class="krds-form-select medium" name="region" {...regionError.attrs}>
        <option value="">{m('agree.regionNone')}</option>
        {(props.places ?? placesOf('kr_sido')).map((r) => (
          <option value={r.code} selected={values.region === r.code}>
            {r[locale]}
          </option>
        ))}
      </select>
      {regionError.element}
      {props.askPostcode ? (
        <>
          <label for="agree-postcode">{m('agree.postcode')}</label>
          <input
            id="agree-postcode"
            name="postcode"
            autocomplete="postal-code"
            maxlength={10}
            value={values.postcode ?? ''}
            {...invalid('agree-postcode').attrs}
          />
          {invalid('agree-postcode').element}
        </>
      ) : null}
    </p>
  );
  // the signer's receipt secret, made in their browser by the page's script (src/http/assets/live-count.js); left
  // empty without script, when the server makes it
  const receiptField = <input type="hidden" name="receipt_secret" value="" data-receipt-secret />;
  return (
    <section class="agree" aria-labelledby="agree-heading">
      <h2 id="agree-heading">{m('agree.heading')}</h2>
      {props.signedIn ? (
        <form method="post" action={action}>
          <input type="hidden" name="method" value="oidc" />
          {receiptField}
          {sponsorField}
          {regionSelect}
          <button type="submit" class="button">
            {m('agree.oneClick')}
          </button>
        </form>
      ) : (
        <>
          {props.providers.length > 0 ? (
            <p class="login-buttons">
              {props.providers.map((p) => (
                <a class="button" href={`/auth/${p.id}/login?return_to=${encodeURIComponent(returnTo)}`}>
                  {p.label}
                </a>
              ))}
            </p>
          ) : null}
          <form method="post" action={action}>
            <input type="hidden" name="method" value="email" />
            {receiptField}
            {sponsorField}
            <ContactFields
              ids={{ name: 'agree-name', email: 'agree-email' }}
              labels={{ name: m('agree.name'), email: m('agree.email') }}
              values={values}
              errors={errors}
            />
            {regionSelect}
            {/* KRDS draws the box on the label (krds-form-check); a bare checkbox is hidden by its stylesheet */}
            <div class="krds-form-check agree-notify">
              <input id="agree-notify" name="notify" type="checkbox" checked={values.notify === true} />
              <label for="agree-notify">{m('agree.notify')}</label>
            </div>
            <button type="submit" class="button">
              {m('agree.byEmail')}
            </button>
            <p class="list-note">{m('agree.privacy')}</p>
          </form>
        </>
      )}
    </section>
  );
}
