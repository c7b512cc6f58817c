import type { Kysely } from 'kysely';
import {
  type CategoryLink,
  loadRuntimeSettings,
  type ProfileView,
  type RuntimeSettings,
} from '../config/runtime-settings.js';
import type { Database } from '../db/schema.js';
import type { TrustedProxies } from './middleware/client-address.js';
import { PageCache } from './page-cache.js';

export type { CategoryLink, ProfileView };

/**
 * What the HTTP layer shares: the database (for repository reads and the commands it calls), the deployment's
 * runtime settings, the clock, and the web's own parts (trusted proxies, the page cache). Built by the composition
 * root (src/wiring/); nothing below http/ depends on it.
 */
export interface Site {
  db: Kysely<Database>;
  deploymentProfile: string;
  now(): Date;
  /** The runtime settings this site reads (shared with the writer and the scheduler of the same process). */
  settings: RuntimeSettings;
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
  /** Runtime settings already loaded by the composition root; default: loaded here (and closed with the site). */
  settings?: RuntimeSettings;
  /** Clock; tests pass a fixed one. Default: the wall clock. */
  now?: () => Date;
  /** How often runtime settings are re-read when loaded here (ms, default 30,000; 0 = never automatically). */
  settingsTtlMs?: number;
  /** PUBLIC_URL of the deployment (default: none; only the request's own origin may post forms). */
  publicUrl?: string;
  /** TRUST_PROXY of the deployment, parsed by `parseTrustedProxies` (default: no proxy is trusted). */
  trustedProxies?: TrustedProxies;
  /** How long a rendered petition page may be shared (ms, default 1,000; 0 = render every request). */
  pageCacheMs?: number;
}

/** Builds the site context (loading runtime settings once unless given). @throws DomainError('unknown_profile') */
export async function createSite(options: SiteOptions): Promise<Site> {
  const owned = options.settings === undefined;
  const settings =
    options.settings ??
    (await loadRuntimeSettings({
      db: options.db,
      deploymentProfile: options.deploymentProfile,
      ...(options.settingsTtlMs !== undefined ? { ttlMs: options.settingsTtlMs } : {}),
    }));
  return {
    db: options.db,
    deploymentProfile: settings.deploymentProfile,
    now: options.now ?? (() => new Date()),
    settings,
    profile: (code) => settings.profile(code),
    categories: (locale) => settings.categories(locale),
    refreshSettings: () => settings.refresh(),
    publicUrl: options.publicUrl ?? null,
    trustedProxies: options.trustedProxies ?? [],
    pages: new PageCache({ ttlMs: options.pageCacheMs ?? 1_000 }),
    close() {
      if (owned) settings.close();
    },
  };
}
