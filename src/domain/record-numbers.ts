/**
 * The numbers records are known by: petitions (1, 2, …, the number in `/petitions/6`), official responses,
 * staff accounts and agreements. They are PostgreSQL `bigint` identities, so a number has at most 16 decimal digits
 * here (well inside 2^63 and inside JavaScript's safe integers up to 9,007,199,254,740,991 for 16 digits starting
 * 1–8; the database refuses anything larger anyway), never a leading zero, never a sign.
 *
 * Every route, form field and command that takes such a number checks it with `isRecordNumber` before it reaches a
 * query: a malformed one is "not found" or a 400, never a database error.
 */

/** Source of the pattern, for composing larger patterns (`/petitions/(…)/`, `flag_(…)`): 1–16 digits, no leading 0. */
export const RECORD_NUMBER_SOURCE = '[1-9][0-9]{0,15}';

/** A whole record number: `^[1-9][0-9]{0,15}$`. */
export const RECORD_NUMBER = new RegExp(`^${RECORD_NUMBER_SOURCE}$`);

/** True when `s` is a record number as the database issues them ('6', '586819'; not '06', '-1', '1e3', ''). */
export function isRecordNumber(s: string): boolean {
  return RECORD_NUMBER.test(s);
}
