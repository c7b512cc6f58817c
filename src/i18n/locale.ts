/**
 * The languages of the public pages. Korean is the default (the platform serves Korean citizens first); English
 * is complete for every page converted to messages. Issue 6: "Bilingual: Korean (default) and English".
 */
export const LOCALES = ['ko', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'ko';

/**
 * The BCP 47 tag each locale formats with: `ko-KR` (2,715,626명, 2020. 3. 18.), `en-GB` (2,715,626 agreements,
 * 18 Mar 2020 — day before month, which Korean readers of English mis-read less than 3/18/2020).
 */
export const FORMAT_TAG: Record<Locale, string> = { ko: 'ko-KR', en: 'en-GB' };

/** Narrows any string to a locale: `'en'` → 'en'; anything else (`'EN-us'`, `'fr'`, undefined) → undefined. */
export function asLocale(value: string | undefined | null): Locale | undefined {
  return (LOCALES as readonly string[]).includes(value ?? '') ? (value as Locale) : undefined;
}

/** The other language, for the switch in the header (a link to the same page in it). */
export function otherLocale(locale: Locale): Locale {
  return locale === 'ko' ? 'en' : 'ko';
}
