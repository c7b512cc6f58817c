/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Locale, t } from '../../i18n/index.js';

/** A refusal shown in a form: the field it belongs to (its input's id) and the sentence. */
export interface FieldError<Field extends string = string> {
  field: Field;
  message: string;
}

/**
 * The error summary at the top of a form: announced (role=alert), focused when the page opens (by
 * `/assets/petition-form.js`, which the page must include), each error a link to its field.
 */
export function ErrorSummary(props: { locale: Locale; errors: FieldError[] }) {
  if (props.errors.length === 0) return null;
  return (
    <div
      id="error-summary"
      class="notice error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabindex={-1}
      data-error-summary
    >
      <h2 id="error-summary-title">{t(props.locale, 'create.errorSummary')}</h2>
      <ul>
        {props.errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The error of `field`, if any, with the message element tying it to the field (`<field>-error`, for the input's
 * `aria-describedby`).
 */
export function fieldError<Field extends string>(errors: FieldError<Field>[], field: Field) {
  const error = errors.find((e) => e.field === field);
  return {
    error,
    element: error ? (
      <p id={`${field}-error`} class="search-error">
        {error.message}
      </p>
    ) : null,
  };
}
