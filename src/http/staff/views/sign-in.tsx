/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import { STAFF_ROLE_LABELS, type StaffMember } from '../../../domain/staff.js';

/** The staff sign-in page: email, password and TOTP code, and a button per OpenID Connect provider. */
export function LoginPage(props: { providers: Array<{ id: string; label: string }> }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="ko">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>직원 로그인 | 청원</title>
          <link rel="stylesheet" href="/assets/style.css" />
        </head>
        <body>
          <main id="main" class="container">
            <h1>직원 로그인</h1>
            <form method="post" action="/staff/login">
              <p>
                <label>
                  이메일 <input name="email" type="email" autocomplete="username" required />
                </label>
              </p>
              <p>
                <label>
                  비밀번호 <input name="password" type="password" autocomplete="current-password" required />
                </label>
              </p>
              <p>
                <label>
                  인증 앱의 6자리 코드{' '}
                  <input
                    name="code"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    pattern="[0-9]{6}"
                    required
                  />
                </label>
              </p>
              <button type="submit" class="button">
                로그인
              </button>
            </form>
            {props.providers.map((p) => (
              <p>
                <a class="button" href={`/staff/auth/${p.id}/login`}>
                  {p.label}
                </a>
              </p>
            ))}
          </main>
        </body>
      </html>
    </>
  );
}

/** The staff home page: who is signed in, with which roles. */
export function StaffHome(props: { who: StaffMember }) {
  return (
    <>
      <h1>직원 화면</h1>
      <p>
        {props.who.displayName} ({props.who.email}) ·{' '}
        {props.who.roles.map((role) => STAFF_ROLE_LABELS[role]).join(', ')}
      </p>
    </>
  );
}
