import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_PROFILE, getProfile, isProfileCode, PROFILE_CODES } from '../domain/policy-profiles.js';

/**
 * Deployment configuration, read once from the environment at start. Everything has a default so that a fresh
 * clone runs with no setup: an embedded PGlite database under `var/pglite`, the Blue House profile, port 3000.
 */
const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  CHEONGWON_DATA_DIR: z.string().min(1).default('var/pglite'),
  CHEONGWON_PROFILE: z
    .string()
    .default(DEFAULT_PROFILE)
    .refine((code) => isProfileCode(code) && !getProfile(code).archiveOnly, {
      message: `must be one of ${PROFILE_CODES.filter((c) => !getProfile(c).archiveOnly).join(', ')}`,
    }),
  CHEONGWON_SEED: z.enum(['sample', 'none']).default('sample'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^/]+/, 'PUBLIC_URL must be an http(s) URL')
    .optional(),
  CHEONGWON_SECRET: z.string().min(32, 'CHEONGWON_SECRET must be at least 32 characters').optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().optional(),
  OIDC_PROVIDERS: z.string().optional(),
  RATE_LIMIT_ADDRESS: z.string().default('30/60'),
  RATE_LIMIT_PETITION: z.string().default('20000/1'),
  RATE_LIMIT_API: z.string().default('600/60'),
  TRUST_PROXY: z.string().default(''),
  CHEONGWON_DUMP_DIR: z.string().min(1).optional(),
  CHEONGWON_DUMPS: z.enum(['daily', 'off']).default('daily'),
  CHEONGWON_SCHEDULER: z.enum(['on', 'off']).default('on'),
});

export interface AppConfig {
  /** PostgreSQL connection string; when absent the embedded PGlite database at `dataDir` is used. */
  databaseUrl: string | null;
  /** Absolute path of the PGlite data directory (embedded mode only). */
  dataDir: string;
  /** Policy profile code the deployment runs under (see src/domain/policy-profiles.ts). */
  profile: string;
  /** What to load into an empty database at start: the bundled real sample, or nothing. */
  seed: 'sample' | 'none';
  host: string;
  port: number;
  /** Base URL people reach the site at (links in mail, OIDC redirects); default http://localhost:PORT. */
  publicUrl: string;
  /**
   * Secret keying person pseudonyms and signer keys. Required with PostgreSQL (every app server must share it);
   * in embedded mode, when unset, one is generated once and kept beside the data directory.
   */
  secret: string | null;
  smtpUrl: string | null;
  mailFrom: string | null;
  /** OpenID Connect providers (JSON array of {id, label, issuer, clientId, clientSecret?, personClaim?, scope?}). */
  oidcProviders: OidcProviderSetting[];
  /** Signing requests allowed per client address (IPv6 by /64) and per petition: "requests/seconds". */
  rateLimitAddress: string;
  rateLimitPetition: string;
  /** Read-API requests allowed per client address (IPv6 by /64): "requests/seconds". */
  rateLimitApi: string;
  /** Proxies whose X-Forwarded-For names the client: comma-separated addresses or CIDR ranges ('' = none). */
  trustProxy: string;
  /**
   * Absolute path of the directory the daily open-data dump is written to and served from (default `var/dumps`
   * beside the embedded database directory, not inside it). With several app servers it must be shared storage.
   */
  dumpDir: string;
  /** Whether `serve` writes the daily dump ('daily') or not ('off': another process or a cron job does). */
  dumps: 'daily' | 'off';
  /**
   * Whether `serve` keeps running the lifecycle scheduler ('on', default) or leaves it to `cheongwon worker` ('off').
   * Either way `serve` runs one catch-up pass before it listens, so it never shows a petition past its deadline open.
   */
  scheduler: 'on' | 'off';
}

export interface OidcProviderSetting {
  id: string;
  /** Button label ('카카오로 로그인'). */
  label: string;
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  personClaim?: string | undefined;
  scope?: string | undefined;
  /** Plain-http issuer (loopback tests only). */
  allowHttp?: boolean | undefined;
}

/** One OpenID Connect provider as configured in JSON (OIDC_PROVIDERS; STAFF_OIDC_PROVIDERS extends it). */
export const oidcProviderSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,30}$/),
  label: z.string().min(1),
  issuer: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().optional(),
  personClaim: z.string().optional(),
  scope: z.string().optional(),
  allowHttp: z.boolean().optional(),
});

const oidcProvidersSchema = z.array(oidcProviderSchema);

/**
 * `env` checked against `schema`: the parsed values.
 * @throws Error listing every invalid variable with the reason ('Invalid configuration:' then one line each), so a
 *   misconfigured deployment fails at start
 */
export function parseEnvironment<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * Parses configuration from `env` (default `process.env`).
 * @throws Error listing every invalid variable with the reason, so a misconfigured deployment fails at start.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const e = parseEnvironment(schema, env);
  return {
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: path.resolve(cwd, e.CHEONGWON_DATA_DIR),
    profile: e.CHEONGWON_PROFILE,
    seed: e.CHEONGWON_SEED,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    secret: e.CHEONGWON_SECRET ?? null,
    smtpUrl: e.SMTP_URL?.trim() || null,
    mailFrom: e.MAIL_FROM?.trim() || null,
    oidcProviders: parseOidcProviders(e.OIDC_PROVIDERS),
    rateLimitAddress: e.RATE_LIMIT_ADDRESS,
    rateLimitPetition: e.RATE_LIMIT_PETITION,
    rateLimitApi: e.RATE_LIMIT_API,
    trustProxy: e.TRUST_PROXY,
    dumpDir: path.resolve(
      cwd,
      e.CHEONGWON_DUMP_DIR ?? path.join(path.dirname(e.CHEONGWON_DATA_DIR), 'dumps'),
    ),
    dumps: e.CHEONGWON_DUMPS,
    scheduler: e.CHEONGWON_SCHEDULER,
  };
}

function parseOidcProviders(raw: string | undefined): OidcProviderSetting[] {
  if (!raw?.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('Invalid configuration:\n  OIDC_PROVIDERS: must be a JSON array');
  }
  const parsed = oidcProvidersSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `Invalid configuration:\n  OIDC_PROVIDERS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
