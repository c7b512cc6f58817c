import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { addStaff } from '../commands/add-staff.js';
import { disableStaff } from '../commands/disable-staff.js';
import { setStaffRoles } from '../commands/set-staff-roles.js';
import type { AppConfig } from '../config/env.js';
import { type Actor, STAFF_ROLES } from '../domain/staff.js';
import { deploymentSecret } from '../wiring/signing.js';
import { openMigratedDatabase } from './context.js';

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
