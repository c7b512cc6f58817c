/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { listAudit } from '../../repositories/audit.js';
import type { Site } from '../site.js';
import { type StaffGuard, staffPage } from './guard.js';
import { ADMINISTRATION } from './policy.js';
import { AuditView } from './views/audit.js';

/** The audit log (administrators): the 200 latest entries. */
export function registerAuditRoutes(site: Site, guard: StaffGuard): void {
  guard.route('GET', '/staff/audit', ADMINISTRATION, async (r) => {
    const entries = await listAudit(site.db, { limit: 200 });
    return staffPage(r, '감사 기록', <AuditView entries={entries} />);
  });
}
