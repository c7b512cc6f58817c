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
}

/**
 * Parses configuration from `env` (default `process.env`).
 * @throws Error listing every invalid variable with the reason, so a misconfigured deployment fails at start.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: path.resolve(cwd, e.CHEONGWON_DATA_DIR),
    profile: e.CHEONGWON_PROFILE,
    seed: e.CHEONGWON_SEED,
    host: e.HOST,
    port: e.PORT,
  };
}
