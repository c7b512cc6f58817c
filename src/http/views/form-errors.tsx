/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH } from '../../domain/identity.js';
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

/**
 * The name and email inputs a person gives to agree or to create a petition, each with its label, its refusal
 * (from `errors`, tied by `aria-describedby`) and what was typed.
 * @param props.ids the inputs' ids (also the `field` of their errors), e.g. { name: 'agree-name', email: 'agree-email' }
 * @param props.labels the labels' text; `hint` the id of a hint both inputs are described by, if any
 */
export function ContactFields(props: {
  ids: { name: string; email: string };
  labels: { name: string; email: string };
  values: { name?: string | undefined; email?: string | undefined };
  errors: FieldError[];
  hint?: string;
}) {
  const input = (kind: 'name' | 'email') => {
    const id = props.ids[kind];
    const { error, element } = fieldError(props.errors, id);
    const describedBy =
      [props.hint, error ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined;
    return (
      <p>
        <label for={id}>{props.labels[kind]}</label>
        {element}
        <input
          id={id}
          name={kind}
          type={kind === 'name' ? 'text' : 'email'}
          required
          maxlength={kind === 'name' ? MAX_NAME_LENGTH : MAX_EMAIL_LENGTH}
          autocomplete={kind}
          value={props.values[kind]}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy}
        />
      </p>
    );
  };
  return (
    <>
      {input('name')}
      {input('email')}
    </>
  );
}
