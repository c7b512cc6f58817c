/**
 * Where a signer says they live, per profile: the place taxonomy of the site.
 *
 * - `kr_sido` (Blue House, National Assembly): the 17 시·도 and 'overseas' (identity.ts `REGIONS`);
 * - `uk` (UK Parliament): the four countries of the United Kingdom by their ONS GSS codes, and 'overseas'; a UK
 *   signer also gives a postcode, which the postcode table the operator imports (ONS National Statistics Postcode
 *   Lookup: `pcds`, `pcon`, `ctry`) turns into a Westminster constituency — the postcode itself is never stored.
 *   petition.parliament.uk asks the same: country, then postcode for UK residents.
 * - `none` (archive-only profiles): no place is asked.
 *
 * Pure: no I/O.
 */
import { DomainError } from './errors.js';
import { parseRegion, REGIONS } from './identity.js';

export type PlaceTaxonomy = 'kr_sido' | 'uk' | 'none';

/** A place a signer may choose. `code` is stored in `agreements.region`. */
export interface Place {
  readonly code: string;
  readonly ko: string;
  readonly en: string;
}

/** The countries of the United Kingdom (ONS GSS country codes, as the NSPL's `ctry` column holds them). */
export const UK_COUNTRIES: readonly Place[] = [
  { code: 'E92000001', ko: '잉글랜드', en: 'England' },
  { code: 'S92000003', ko: '스코틀랜드', en: 'Scotland' },
  { code: 'W92000004', ko: '웨일스', en: 'Wales' },
  { code: 'N92000002', ko: '북아일랜드', en: 'Northern Ireland' },
  { code: 'overseas', ko: '해외', en: 'Outside the UK' },
];

/** The places of a taxonomy, in the order a form lists them. */
export function placesOf(taxonomy: PlaceTaxonomy): readonly Place[] {
  if (taxonomy === 'kr_sido') return REGIONS;
  if (taxonomy === 'uk') return UK_COUNTRIES;
  return [];
}

/** The place with this code in the taxonomy, or undefined. */
export function findPlace(taxonomy: PlaceTaxonomy, code: string): Place | undefined {
  return placesOf(taxonomy).find((p) => p.code === code);
}

/**
 * Parses the optional place a signer gives, in the profile's taxonomy.
 * @returns the place code, or null when absent (undefined, null, blank)
 * @throws DomainError('invalid_region', `{ field: 'region' }`) for a value not in the taxonomy
 */
export function parsePlace(taxonomy: PlaceTaxonomy, raw: string | null | undefined): string | null {
  if (taxonomy === 'kr_sido') return parseRegion(raw);
  if (raw === undefined || raw === null || raw.trim() === '') return null;
  const v = raw.trim();
  const found = placesOf(taxonomy).find(
    (p) => p.code.toLowerCase() === v.toLowerCase() || p.en.toLowerCase() === v.toLowerCase(),
  );
  if (!found) {
    throw new DomainError('invalid_region', 'Choose your country from the list.', { field: 'region' });
  }
  return found.code;
}

/**
 * A UK postcode as the postcode table keys it: upper case, spaces removed ('sw1a 1aa' → 'SW1A1AA').
 * @returns the key, or null when blank
 * @throws DomainError('invalid_postcode', `{ field: 'postcode' }`) when it is not shaped like a UK postcode
 *   (outward code 2–4 characters, inward code a digit and two letters)
 */
export function normalisePostcode(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null) return null;
  const v = raw.toUpperCase().replace(/\s+/g, '');
  if (v === '') return null;
  if (!/^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/.test(v)) {
    throw new DomainError('invalid_postcode', 'Enter a valid UK postcode, such as SW1A 1AA.', {
      field: 'postcode',
    });
  }
  return v;
}

/**
 * One row of the ONS National Statistics Postcode Lookup (NSPL) as the postcode table keeps it: `pcds` (the
 * postcode), `pcon` (Westminster constituency, GSS code), `ctry` (country, GSS code). Rows without a constituency
 * (Channel Islands, Isle of Man: pseudo-codes L99999999 / M99999999) or with a malformed postcode are skipped.
 * @param record a CSV record by header name (any case)
 * @returns the row, or null to skip
 */
export function nsplRow(
  record: Readonly<Record<string, string | undefined>>,
): { postcode: string; constituency: string; country: string } | null {
  const get = (name: string) => record[name] ?? record[name.toUpperCase()] ?? '';
  const constituency = get('pcon').trim();
  const country = get('ctry').trim();
  if (!/^[EWSN]\d{8}$/.test(constituency) || !/^[EWSNLM]\d{8}$/.test(country)) return null;
  try {
    const postcode = normalisePostcode(get('pcds') || get('pcd'));
    return postcode === null ? null : { postcode, constituency, country };
  } catch {
    return null;
  }
}

/**
 * One row of the ONS constituency names file (columns like `PCON24CD`, `PCON24NM`: code and name), or null.
 */
export function constituencyNameRow(
  record: Readonly<Record<string, string | undefined>>,
): { code: string; name: string } | null {
  const key = (suffix: string) =>
    Object.keys(record).find((k) => new RegExp(`^pcon\\d*${suffix}$`, 'i').test(k));
  const codeKey = key('cd');
  const nameKey = key('nm');
  const code = codeKey ? (record[codeKey] ?? '').trim() : '';
  const name = nameKey ? (record[nameKey] ?? '').trim() : '';
  if (!/^[EWSN]\d{8}$/.test(code) || name === '' || name.length > 200) return null;
  return { code, name };
}
