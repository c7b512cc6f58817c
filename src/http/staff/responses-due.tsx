/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { responsesDueOverview } from '../../repositories/responses-due.js';
import type { Site } from '../site.js';
import { type StaffGuard, staffPage } from './guard.js';
import { RESPONSES } from './policy.js';
import { ResponsesDueView } from './views/responses-due.js';

/** The responders' list of petitions awaiting an official response (answering is staff/responses.tsx). */
export function registerResponsesDueRoutes(site: Site, guard: StaffGuard): void {
  guard.route('GET', '/staff/responses', RESPONSES, async (r) => {
    const overview = await responsesDueOverview(site.db);
    return staffPage(
      r,
      '답변 대기 청원',
      <ResponsesDueView overview={overview} timeZoneOf={(p) => site.profile(p).timeZone} />,
    );
  });
}
