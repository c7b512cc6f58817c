/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { listAudit } from '../../../repositories/audit.js';

/** The audit log, newest first: when, who, what, about what, why, before → after. */
export function AuditView(props: { entries: Awaited<ReturnType<typeof listAudit>> }) {
  const { entries } = props;
  return (
    <>
      <h1>감사 기록</h1>
      <table class="audit">
        <thead>
          <tr>
            <th>언제</th>
            <th>누가</th>
            <th>무엇을</th>
            <th>대상</th>
            <th>왜</th>
            <th>전 → 후</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr>
              <td>{e.at.toISOString()}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>
                {e.subject_type} {e.subject_id ?? ''}
              </td>
              <td>{e.reason ?? ''}</td>
              <td>
                <code>{JSON.stringify(e.before)}</code> → <code>{JSON.stringify(e.after)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
