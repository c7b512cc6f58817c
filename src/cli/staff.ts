import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { addStaff } from '../commands/add-staff.js';
import { disableStaff } from '../commands/disable-staff.js';
import { setStaffRoles } from '../commands/set-staff-roles.js';
import { type AppConfig, oidcProviderSchema } from '../config/env.js';
import { type Actor, STAFF_ROLES } from '../domain/staff.js';
import type { StaffContext } from '../http/staff/routes.js';
import { createOidcClient } from '../signing/oidc.js';
import { deploymentSecret } from '../wiring/signing.js';
import { openMigratedDatabase } from './context.js';

// staff identities are mapped by (issuer, sub) or a verified email, never by a person claim
const staffOidcSchema = z.array(
  oidcProviderSchema.omit({ personClaim: true }).extend({ matchEmail: z.boolean().optional() }),
);

/**
 * The staff web's settings from the deployment's configuration: the secret, PUBLIC_URL's origin (every staff POST
 * must come from it), https-only cookies, and the OpenID Connect providers staff sign in with —
 * `STAFF_OIDC_PROVIDERS`, a JSON array like OIDC_PROVIDERS plus `matchEmail` (link a first sign-in to the staff
 * account with the provider's verified email; otherwise only already linked (issuer, sub) pairs sign in).
 * @throws Error for an invalid STAFF_OIDC_PROVIDERS; DomainError('identity_error') when discovery fails
 */
export async function staffContext(
  config: AppConfig,
  env: Record<string, string | undefined> = process.env,
): Promise<StaffContext> {
  let providers: z.infer<typeof staffOidcSchema> = [];
  if (env.STAFF_OIDC_PROVIDERS?.trim()) {
    const parsed = staffOidcSchema.safeParse(JSON.parse(env.STAFF_OIDC_PROVIDERS));
    if (!parsed.success) throw new Error(`Invalid STAFF_OIDC_PROVIDERS: ${parsed.error.message}`);
    providers = parsed.data;
  }
  const oidc = [];
  for (const p of providers) {
    const client = await createOidcClient({
      id: p.id,
      issuer: p.issuer,
      clientId: p.clientId,
      ...(p.clientSecret ? { clientSecret: p.clientSecret } : {}),
      scope: p.scope ?? 'openid email',
      ...(p.allowHttp ? { allowHttp: true } : {}),
      redirectUri: `${config.publicUrl}/staff/auth/${p.id}/callback`,
    });
    oidc.push({ id: p.id, label: p.label, client, matchEmail: p.matchEmail ?? false });
  }
  return {
    secret: deploymentSecret(config),
    publicOrigin: new URL(config.publicUrl).origin,
    secureCookies: config.publicUrl.startsWith('https:'),
    oidc,
  };
}

/** The command line as an audit-log actor: 'cli:<operating-system user>'. */
export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  return { staffId: null, name: `cli:${user}` };
}

/**
 * `cheongwon staff add|roles|disable`: bootstraps and manages staff accounts from the command line (the first
 * administrator has nobody to add them in the web). Every change is audited with the actor 'cli:<user>'.
 */
export function registerStaffCommands(
  program: Command,
  loadConfig: () => AppConfig,
  log: (line: string) => void,
): void {
  const staff = program
    .command('staff')
    .description('manage staff accounts (moderators, responders, administrators)');
  const roleList = `comma-separated: ${STAFF_ROLES.join(', ')}`;

  staff
    .command('add')
    .description('add a staff account; prints its initial password and TOTP provisioning URI once')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--role <roles>', roleList)
    .option('--name <name>', 'display name (default: the email before @)')
    .action(async (opts: { email: string; role: string; name?: string }) => {
      const config = loadConfig();
      const handle = await openMigratedDatabase(config, () => {});
      try {
        const created = await addStaff(handle.db, {
          email: opts.email,
          ...(opts.name ? { displayName: opts.name } : {}),
          roles: opts.role.split(','),
          secret: deploymentSecret(config),
          actor: cliActor(),
          now: new Date(),
        });
        log(`staff ${created.id}: ${created.email}`);
        log(`initial password (shown once): ${created.initialPassword}`);
        log(`TOTP (add to an authenticator app; shown once): ${created.totpUri}`);
        log(`sign in at ${config.publicUrl}/staff/login`);
      } finally {
        await handle.close();
      }
    });

  staff
    .command('roles')
    .description("replace a staff member's roles")
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--role <roles>', roleList)
    .action(async (opts: { email: string; role: string }) => {
      const handle = await openMigratedDatabase(loadConfig(), () => {});
      try {
        const roles = await setStaffRoles(handle.db, {
          email: opts.email,
          roles: opts.role.split(','),
          actor: cliActor(),
          now: new Date(),
        });
        log(`${opts.email}: ${roles.join(', ')}`);
      } finally {
        await handle.close();
      }
    });

  staff
    .command('disable')
    .description('disable a staff account and end its sessions')
    .requiredOption('--email <email>', 'sign-in email')
    .action(async (opts: { email: string }) => {
      const handle = await openMigratedDatabase(loadConfig(), () => {});
      try {
        await disableStaff(handle.db, { email: opts.email, actor: cliActor(), now: new Date() });
        log(`${opts.email}: disabled`);
      } finally {
        await handle.close();
      }
    });
}
