/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { NewStaffCredentials } from '../../../commands/add-staff.js';
import { STAFF_ROLE_LABELS, STAFF_ROLES } from '../../../domain/staff.js';
import type { listStaff } from '../../../repositories/staff-accounts.js';

/** The staff accounts (roles, disabling) and the form to add one. */
export function AccountsView(props: { accounts: Awaited<ReturnType<typeof listStaff>>; csrf: string }) {
  const { accounts } = props;
  return (
    <>
      <h1>직원 관리</h1>
      <table>
        <tbody>
          {accounts.map((a) => (
            <tr>
              <td>{a.email}</td>
              <td>{a.display_name}</td>
              <td>
                {a.disabled_at ? '사용 중지' : a.roles.map((role) => STAFF_ROLE_LABELS[role]).join(', ')}
              </td>
              <td>
                {a.disabled_at ? null : (
                  <>
                    <form method="post" action={`/staff/accounts/${a.id}/roles`}>
                      <input type="hidden" name="csrf" value={props.csrf} />
                      <input name="roles" value={a.roles.join(',')} aria-label="역할" />
                      <button type="submit">역할 바꾸기</button>
                    </form>
                    <form method="post" action={`/staff/accounts/${a.id}/disable`}>
                      <input type="hidden" name="csrf" value={props.csrf} />
                      <button type="submit">사용 중지</button>
                    </form>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>직원 추가</h2>
      <form method="post" action="/staff/accounts">
        <input type="hidden" name="csrf" value={props.csrf} />
        <label>
          이메일 <input name="email" type="email" required />
        </label>
        <label>
          이름 <input name="display_name" maxlength={100} />
        </label>
        <label>
          역할 (쉼표로 구분: {STAFF_ROLES.join(', ')}) <input name="roles" value="moderator" />
        </label>
        <button type="submit" class="button">
          추가
        </button>
      </form>
    </>
  );
}

/** The credentials of a staff account just added, shown once. */
export function AccountCreatedView(props: { created: NewStaffCredentials }) {
  const { created } = props;
  return (
    <>
      <h1>직원을 추가했습니다</h1>
      <p class="notice">아래 정보는 지금 한 번만 보입니다. 본인에게 안전하게 전하십시오.</p>
      <dl>
        <dt>이메일</dt>
        <dd>{created.email}</dd>
        <dt>처음 비밀번호</dt>
        <dd>
          <code>{created.initialPassword}</code>
        </dd>
        <dt>인증 앱 등록 주소 (TOTP)</dt>
        <dd>
          <code>{created.totpUri}</code>
        </dd>
      </dl>
    </>
  );
}
