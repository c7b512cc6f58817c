import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CountRules } from '../domain/count-effects.js';
import {
  effectiveSettings,
  getProfile,
  type PolicyProfile,
  type PolicySettings,
  PROFILE_CODES,
} from '../domain/policy-profiles.js';
import { loadProfileOverrides } from '../repositories/profile-settings.js';

/** What a page, presenter or command needs to know about a petition's policy profile. */
export interface ProfileView {
  code: string;
  timeZone: string;
  /** The language the site's pages open in. */
  locale: 'ko' | 'en';
  /** The whole profile (places, rules, tracks, categories). */
  profile: PolicyProfile;
  settings: PolicySettings;
  /**
   * Name of a category code in `locale` (default: the profile's own language, e.g. Korean for cheongwadae); the
   * code itself when the profile does not know it.
   */
  categoryName(code: string, locale?: 'ko' | 'en'): string;
  responseThreshold: number | null;
  debateThreshold: number | null;
  /** What reaching the response threshold brings, as a Korean label ('답변 기준', '위원회 회부 기준'). */
  responseThresholdLabel: string;
  /** The same in English, as what the agreements are needed for ('an official response', …). */
  responseThresholdPurposeEn: string;
}

const CONSEQUENCE_LABELS: Record<PolicyProfile['consequences']['response'], string> = {
  official_response: '답변 기준',
  committee_referral: '위원회 회부 기준',
  government_response: '정부 답변 기준',
};
const CONSEQUENCE_PURPOSES_EN: Record<PolicyProfile['consequences']['response'], string> = {
  official_response: 'an official response',
  committee_referral: 'referral to a committee',
  government_response: 'a government response',
};

export interface CategoryLink {
  code: string;
  name: string;
}

/**
 * Each profile's effective settings (defaults merged with the runtime overrides stored in `profile_settings`),
 * refreshed every `ttlMs` so that an administrator's change reaches every stateless app server and worker without
 * a restart. The signing writer, the scheduler, reconcile and the web all read settings through this one object.
 */
export interface RuntimeSettings extends CountRules {
  deploymentProfile: string;
  profile(code: string): ProfileView;
  /** Categories of the deployment's profile, for navigation, named in `locale` (default: the profile's). */
  categories(locale?: 'ko' | 'en'): CategoryLink[];
  /** Reloads runtime settings from the database now. */
  refresh(): Promise<void>;
  /** Stops the periodic refresh. */
  close(): void;
}

/**
 * Loads every profile's runtime settings once and keeps them fresh.
 * @param options.ttlMs how often settings are re-read (ms, default 30,000; 0 = never automatically)
 * @throws DomainError('unknown_profile') for an unknown deployment profile
 */
export async function loadRuntimeSettings(options: {
  db: Kysely<Database>;
  deploymentProfile: string;
  ttlMs?: number;
}): Promise<RuntimeSettings> {
  const deployment = getProfile(options.deploymentProfile);
  const views = new Map<string, ProfileView>();
  const refresh = async () => {
    for (const code of PROFILE_CODES) {
      const profile = getProfile(code);
      const overrides = await loadProfileOverrides(options.db, code);
      views.set(code, profileView(profile, effectiveSettings(profile, overrides)));
    }
  };
  await refresh();
  const ttl = options.ttlMs ?? 30_000;
  const timer = ttl > 0 ? setInterval(() => void refresh().catch(() => {}), ttl) : null;
  timer?.unref();
  const profile = (code: string): ProfileView =>
    views.get(code) ?? profileView(getProfile(code), effectiveSettings(code, {}));
  return {
    deploymentProfile: deployment.code,
    profile,
    settingsFor: (code) => profile(code).settings,
    timeZoneFor: (code) => profile(code).timeZone,
    categories(locale = deployment.locale) {
      return deployment.categories.map((c) => ({ code: c.code, name: c[locale] }));
    },
    refresh,
    close() {
      if (timer) clearInterval(timer);
    },
  };
}

function profileView(profile: PolicyProfile, settings: PolicySettings): ProfileView {
  const names = new Map(profile.categories.map((c) => [c.code, c]));
  return {
    code: profile.code,
    timeZone: profile.timeZone,
    locale: profile.locale,
    profile,
    settings,
    categoryName: (code, locale = profile.locale) => names.get(code)?.[locale] ?? code,
    responseThreshold: settings.responseThreshold,
    debateThreshold: settings.debateThreshold,
    responseThresholdLabel: CONSEQUENCE_LABELS[profile.consequences.response],
    responseThresholdPurposeEn: CONSEQUENCE_PURPOSES_EN[profile.consequences.response],
  };
}
