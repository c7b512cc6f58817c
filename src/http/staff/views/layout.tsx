/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { StaffMember } from '../../../domain/staff.js';
import { formatDate } from '../../../presenters/format.js';

/** A date and 24-hour time in `zone` (default Asia/Seoul), e.g. '2020. 4. 17. 15:00'; '' for null. */
export const shortDateTime = (d: Date | null, zone = 'Asia/Seoul') =>
  d
    ? `${formatDate(d, zone)} ${d.toLocaleTimeString('ko-KR', { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false })}`
    : '';

/** The free-text reason field of a decision form (stored in the audit log). */
export function ReasonField() {
  return (
    <label>
      이유 (기록됨) <input name="reason" maxlength={1000} />
    </label>
  );
}

/** Which staff menu entries the signed-in staff member's roles allow. */
export interface StaffMenu {
  moderation: boolean;
  responses: boolean;
  administration: boolean;
}

/** The staff layout: the menu of what the staff member's roles allow, and the logout form. */
export function StaffLayout(props: {
  title: string;
  who: StaffMember;
  menu: StaffMenu;
  csrf: string;
  children?: Child;
}) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="ko">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${props.title} | 청원 직원`}</title>
          <link rel="stylesheet" href="/assets/style.css" />
        </head>
        <body>
          <header class="site-header">
            <nav class="container categories" aria-label="직원 메뉴">
              <ul>
                <li>
                  <a href="/staff">직원 화면</a>
                </li>
                {props.menu.moderation ? (
                  <li>
                    <a href="/staff/queue">검토 대기열</a>
                  </li>
                ) : null}
                {props.menu.responses ? (
                  <li>
                    <a href="/staff/responses">답변 대기</a>
                  </li>
                ) : null}
                {props.menu.administration ? (
                  <>
                    <li>
                      <a href="/staff/audit">감사 기록</a>
                    </li>
                    <li>
                      <a href="/staff/accounts">직원 관리</a>
                    </li>
                    <li>
                      <a href="/staff/settings">설정</a>
                    </li>
                  </>
                ) : null}
                <li>
                  <form method="post" action="/staff/logout">
                    <input type="hidden" name="csrf" value={props.csrf} />
                    <button type="submit">로그아웃 ({props.who.email})</button>
                  </form>
                </li>
              </ul>
            </nav>
          </header>
          <main id="main" class="container">
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}
