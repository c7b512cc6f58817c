import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  effectiveSettings,
  getProfile,
  type PolicyProfile,
  type PolicySettings,
  PROFILE_CODES,
} from '../domain/policy-profiles.js';
import { loadProfileOverrides } from '../repositories/profile-settings.js';
import type { TrustedProxies } from './client-address.js';
import { PageCache } from './page-cache.js';

/** What a page or presenter needs to know about a petition's policy profile. */
export interface ProfileView {
  code: string;
  timeZone: string;
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
 * Everything the HTTP layer shares: the database, the deployment's profile, the clock, and each profile's
 * effective settings (defaults merged with the runtime overrides stored in `profile_settings`, refreshed every
 * `settingsTtlMs` so that an administrator's change reaches every stateless app server without a restart).
 */
export interface Site {
  db: Kysely<Database>;
  deploymentProfile: string;
  now(): Date;
  profile(code: string): ProfileView;
  /** Categories of the deployment's profile, for navigation, named in `locale` (default: the profile's). */
  categories(locale?: 'ko' | 'en'): CategoryLink[];
  /** Reloads runtime settings from the database now. */
  refreshSettings(): Promise<void>;
  /** The base URL people reach the site at (PUBLIC_URL), if known: its origin may send forms (same-origin check). */
  publicUrl: string | null;
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY; see `clientAddress`). Empty: none. */
  trustedProxies: TrustedProxies;
  /** Rendered petition pages shared by their visitors for about a second (see `PageCache`). */
  pages: PageCache;
  close(): void;
}

export interface SiteOptions {
  db: Kysely<Database>;
  deploymentProfile: string;
  /** Clock; tests pass a fixed one. Default: the wall clock. */
  now?: () => Date;
  /** How often runtime settings are re-read (ms, default 30,000; 0 = never automatically). */
  settingsTtlMs?: number;
  /** PUBLIC_URL of the deployment (default: none; only the request's own origin may post forms). */
  publicUrl?: string;
  /** TRUST_PROXY of the deployment, parsed by `parseTrustedProxies` (default: no proxy is trusted). */
  trustedProxies?: TrustedProxies;
  /** How long a rendered petition page may be shared (ms, default 1,000; 0 = render every request). */
  pageCacheMs?: number;
}

/** Builds the site context and loads runtime settings once. @throws DomainError('unknown_profile') */
export async function createSite(options: SiteOptions): Promise<Site> {
  const deployment = getProfile(options.deploymentProfile);
  const views = new Map<string, ProfileView>();

  const refreshSettings = async () => {
    for (const code of PROFILE_CODES) {
      const profile = getProfile(code);
      const overrides = await loadProfileOverrides(options.db, code);
      views.set(code, profileView(profile, effectiveSettings(profile, overrides)));
    }
  };
  await refreshSettings();

  const ttl = options.settingsTtlMs ?? 30_000;
  const timer = ttl > 0 ? setInterval(() => void refreshSettings().catch(() => {}), ttl) : null;
  timer?.unref();

  return {
    db: options.db,
    deploymentProfile: deployment.code,
    now: options.now ?? (() => new Date()),
    profile(code) {
      const view = views.get(code);
      if (!view) return profileView(getProfile(code), effectiveSettings(code, {}));
      return view;
    },
    categories(locale = deployment.locale) {
      return deployment.categories.map((c) => ({ code: c.code, name: c[locale] }));
    },
    refreshSettings,
    publicUrl: options.publicUrl ?? null,
    trustedProxies: options.trustedProxies ?? [],
    pages: new PageCache({ ttlMs: options.pageCacheMs ?? 1_000 }),
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
    settings,
    categoryName: (code, locale = profile.locale) => names.get(code)?.[locale] ?? code,
    responseThreshold: settings.responseThreshold,
    debateThreshold: settings.debateThreshold,
    responseThresholdLabel: CONSEQUENCE_LABELS[profile.consequences.response],
    responseThresholdPurposeEn: CONSEQUENCE_PURPOSES_EN[profile.consequences.response],
  };
}
