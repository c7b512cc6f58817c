/**
 * What a creator may submit as a petition: a category of the profile, a title and a body within the profile's
 * limits (`PolicyProfile.textLimits`), with no control characters. Pure: no I/O, no clock.
 *
 * Lengths are counted in characters as people count them — Unicode code points of the NFC-normalised, trimmed
 * text — so a Hangul syllable typed as jamo counts once, and an emoji once (not as two UTF-16 units). The form's
 * counter (src/http/assets/petition-form.js) counts the same way.
 */
import { containsLink, startsWithFormulaPrefix } from './identity.js';
import { findCategory, type PolicyProfile } from './policy-profiles.js';

/** A field of the creation form that the text rules check. */
export type PetitionTextField = 'category' | 'title' | 'body';

/**
 * Why a field was refused:
 * - `missing` — empty after trimming (category: none chosen);
 * - `too_long` — longer than the profile's limit (`limit`, `length` in characters);
 * - `control_character` — a NUL byte or another control character (a body may hold line breaks and tabs);
 * - `unknown_category` — not a category of the profile;
 * - `link` — a title that is or holds a web address (e-petitions refuses them too);
 * - `formula_prefix` — a title starting with = + - @ (read as a formula by spreadsheets).
 */
export type PetitionTextProblem =
  | 'missing'
  | 'too_long'
  | 'control_character'
  | 'unknown_category'
  | 'link'
  | 'formula_prefix';

/** One refusal, tied to its field. */
export interface PetitionTextIssue {
  readonly field: PetitionTextField;
  readonly problem: PetitionTextProblem;
  /** For `too_long`: the limit and the length found (characters). */
  readonly limit?: number;
  readonly length?: number;
}

/** The text as stored: NFC, CRLF/CR → LF, trimmed. */
export function normalisePetitionText(raw: string): string {
  return raw.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

/** Length in characters (code points) of `text` as normalised by `normalisePetitionText`. */
export function petitionTextLength(raw: string): number {
  return [...normalisePetitionText(raw)].length;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const TITLE_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const BODY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

function checkText(
  field: 'title' | 'body',
  raw: string | undefined,
  limit: number,
  control: RegExp,
): { value: string; issue: PetitionTextIssue | null } {
  const value = normalisePetitionText(raw ?? '');
  if (value === '') return { value, issue: { field, problem: 'missing' } };
  if (control.test(value)) return { value, issue: { field, problem: 'control_character' } };
  const length = [...value].length;
  if (length > limit) return { value, issue: { field, problem: 'too_long', limit, length } };
  if (field === 'title' && startsWithFormulaPrefix(value))
    return { value, issue: { field, problem: 'formula_prefix' } };
  if (field === 'title' && containsLink(value)) return { value, issue: { field, problem: 'link' } };
  return { value, issue: null };
}

/**
 * Checks the fields of a petition against `profile`'s rules. Only the fields given are checked (the staged form
 * checks category and title first, the body later); `undefined` means "not at this stage".
 *
 * @param input.category a category code of the profile (labels are not accepted from the form)
 * @param input.title, input.body raw form text
 * @returns the normalised values and every issue found, at most one per field, in field order
 *   (category, title, body); no issues means the fields may be stored
 */
export function checkPetitionText(
  profile: PolicyProfile,
  input: { category?: string | undefined; title?: string | undefined; body?: string | undefined },
  fields: readonly PetitionTextField[] = ['category', 'title', 'body'],
): { category: string; title: string; body: string; issues: PetitionTextIssue[] } {
  const issues: PetitionTextIssue[] = [];
  const category = (input.category ?? '').trim();
  if (fields.includes('category')) {
    if (category === '') issues.push({ field: 'category', problem: 'missing' });
    else if (findCategory(profile, category)?.code !== category)
      issues.push({ field: 'category', problem: 'unknown_category' });
  }
  const title = checkText('title', input.title, profile.textLimits.title, TITLE_CONTROL);
  if (fields.includes('title') && title.issue) issues.push(title.issue);
  const body = checkText('body', input.body, profile.textLimits.body, BODY_CONTROL);
  if (fields.includes('body') && body.issue) issues.push(body.issue);
  return { category, title: title.value, body: body.value, issues };
}
