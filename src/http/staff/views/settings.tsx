/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { ModerationSettings } from '../../../domain/moderation.js';
import { SETTING_KEYS } from '../../../domain/policy-profiles.js';
import type { listRejectReasons } from '../../../repositories/moderation-settings.js';

/**
 * The administrator's settings: the election-period switch, the review target, the reject reasons and the policy
 * profile's runtime settings (effective value, whether overridden, and the form to change one).
 */
export function SettingsView(props: {
  csrf: string;
  profile: string;
  categories: ReadonlyArray<{ code: string; name: string }>;
  settings: ModerationSettings;
  reasons: Awaited<ReturnType<typeof listRejectReasons>>;
  overrides: Record<string, unknown>;
  effective: Record<string, unknown>;
}) {
  const { settings, reasons, overrides, effective, profile } = props;
  return (
    <>
      <h1>설정</h1>
      <h2>선거 기간 공개 보류</h2>
      <form method="post" action="/staff/settings/election">
        <input type="hidden" name="csrf" value={props.csrf} />
        <label>
          <input type="checkbox" name="active" value="on" checked={settings.electionActive} /> 켜기
        </label>
        <fieldset>
          <legend>보류할 분야</legend>
          {props.categories.map((cat) => (
            <label>
              <input
                type="checkbox"
                name={`category_${cat.code}`}
                value="on"
                checked={settings.electionCategories.includes(cat.code)}
              />{' '}
              {cat.name}
            </label>
          ))}
        </fieldset>
        <label>
          공개할 이유 <input name="public_reason" value={settings.electionReason} maxlength={500} />
        </label>
        <button type="submit" class="button">
          저장
        </button>
      </form>
      <h2>검토 목표</h2>
      <form method="post" action="/staff/settings/review">
        <input type="hidden" name="csrf" value={props.csrf} />
        <label>
          목표 (일) <input name="target_days" value={String(settings.reviewTargetDays)} inputmode="numeric" />
        </label>
        <label>
          임박 (목표 며칠 전부터){' '}
          <input name="near_days" value={String(settings.reviewNearDays)} inputmode="numeric" />
        </label>
        <button type="submit" class="button">
          저장
        </button>
      </form>
      <h2>공개 거부 사유</h2>
      <table>
        <tbody>
          {reasons.map((reason) => (
            <tr>
              <td>
                <form method="post" action="/staff/settings/reasons">
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <input type="hidden" name="code" value={reason.code} />
                  <code>{reason.code}</code> <input name="label" value={reason.label} aria-label="이름" />
                  <input name="public_text" value={reason.public_text} aria-label="공개 문구" size={60} />
                  <label>
                    <input type="checkbox" name="active" value="on" checked={reason.active} /> 사용
                  </label>
                  <button type="submit">저장</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/staff/settings/reasons">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="active" value="on" />
        <label>
          새 코드 <input name="code" pattern="[a-z][a-z0-9_]*" required />
        </label>
        <label>
          이름 <input name="label" required />
        </label>
        <label>
          공개 문구 <input name="public_text" required />
        </label>
        <button type="submit">추가</button>
      </form>
      <h2>운영 정책 ({profile})</h2>
      <table>
        <tbody>
          {SETTING_KEYS.map((key) => (
            <tr>
              <th>{key}</th>
              <td>
                <code>{JSON.stringify(effective[key])}</code>
                {key in overrides ? ' (변경됨)' : ' (기본값)'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/staff/settings/policy">
        <input type="hidden" name="csrf" value={props.csrf} />
        <label>
          항목{' '}
          <select name="key">
            {SETTING_KEYS.map((key) => (
              <option value={key}>{key}</option>
            ))}
          </select>
        </label>
        <label>
          값 (JSON, 비우면 기본값으로) <input name="value" />
        </label>
        <label>
          이유 <input name="reason" />
        </label>
        <button type="submit" class="button">
          바꾸기
        </button>
      </form>
    </>
  );
}
