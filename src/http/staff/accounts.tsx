/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { addStaff } from '../../commands/add-staff.js';
import { disableStaff } from '../../commands/disable-staff.js';
import { setStaffRoles } from '../../commands/set-staff-roles.js';
import { listStaff } from '../../repositories/staff-accounts.js';
import type { Site } from '../site.js';
import { done, type StaffContext, type StaffGuard, staffPage, wantsJson } from './guard.js';
import { ADMINISTRATION } from './policy.js';
import { AccountCreatedView, AccountsView } from './views/accounts.js';

/** Staff management (administrators): the list, adding an account, changing roles, disabling. */
export function registerAccountRoutes(site: Site, staff: StaffContext, guard: StaffGuard): void {
  guard.route('GET', '/staff/accounts', ADMINISTRATION, async (r) => {
    const accounts = await listStaff(site.db);
    return staffPage(r, '직원 관리', <AccountsView accounts={accounts} csrf={r.csrf} />);
  });
  guard.route('POST', '/staff/accounts', ADMINISTRATION, async (r) => {
    const created = await addStaff(site.db, {
      email: r.fields.email ?? '',
      displayName: r.fields.display_name ?? '',
      roles: (r.fields.roles ?? '').split(','),
      secret: staff.secret,
      actor: r.actor,
      now: site.now(),
    });
    if (wantsJson(r.c)) return r.c.json({ id: Number(created.id) }, 201);
    return staffPage(r, '직원을 추가했습니다', <AccountCreatedView created={created} />);
  });
  guard.route('POST', '/staff/accounts/:staffId/roles', ADMINISTRATION, async (r) => {
    await setStaffRoles(site.db, {
      staffId: r.c.req.param('staffId') ?? '',
      roles: (r.fields.roles ?? '').split(','),
      actor: r.actor,
      now: site.now(),
      ...(r.fields.reason ? { reason: r.fields.reason } : {}),
    });
    return done(r, '/staff/accounts');
  });
  guard.route('POST', '/staff/accounts/:staffId/disable', ADMINISTRATION, async (r) => {
    await disableStaff(site.db, {
      staffId: r.c.req.param('staffId') ?? '',
      actor: r.actor,
      now: site.now(),
      ...(r.fields.reason ? { reason: r.fields.reason } : {}),
    });
    return done(r, '/staff/accounts');
  });
}
