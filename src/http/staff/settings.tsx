/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { changeModerationSettings } from '../../commands/change-moderation-settings.js';
import { changePolicySetting } from '../../commands/change-policy-setting.js';
import { saveRejectReason } from '../../commands/save-reject-reason.js';
import { DomainError } from '../../domain/errors.js';
import { settingsOverview } from '../../repositories/moderation-settings.js';
import type { Site } from '../site.js';
import { done, type StaffGuard, staffPage } from './guard.js';
import { ADMINISTRATION } from './policy.js';
import { SettingsView } from './views/settings.js';

/**
 * Settings (administrators) of the deployment's profile: the election-period switch, the review target, the reject
 * reasons and the policy profile's runtime settings. Each change is one command, audited.
 */
export function registerSettingsRoutes(site: Site, guard: StaffGuard): void {
  guard.route('GET', '/staff/settings', ADMINISTRATION, async (r) => {
    const profile = site.deploymentProfile;
    const { settings, reasons, overrides } = await settingsOverview(site.db, profile);
    const effective = site.profile(profile).settings as unknown as Record<string, unknown>;
    return staffPage(
      r,
      '설정',
      <SettingsView
        csrf={r.csrf}
        profile={profile}
        categories={site.categories()}
        settings={settings}
        reasons={reasons}
        overrides={overrides}
        effective={effective}
      />,
    );
  });
  guard.route('POST', '/staff/settings/election', ADMINISTRATION, async (r) => {
    await changeModerationSettings(site.db, {
      profile: site.deploymentProfile,
      change: {
        electionActive: r.fields.active === 'on',
        electionCategories: Object.keys(r.fields)
          .filter((k) => k.startsWith('category_') && r.fields[k] === 'on')
          .map((k) => k.slice('category_'.length)),
        electionReason: r.fields.public_reason ?? '',
      },
      actor: r.actor,
      now: site.now(),
    });
    return done(r, '/staff/settings');
  });
  guard.route('POST', '/staff/settings/review', ADMINISTRATION, async (r) => {
    const int = (raw: string | undefined, name: string) => {
      if (!/^[0-9]{1,3}$/.test(raw ?? '')) {
        throw new DomainError('invalid_parameter', '일 수는 숫자로 적으십시오.', { fields: [name] });
      }
      return Number(raw);
    };
    await changeModerationSettings(site.db, {
      profile: site.deploymentProfile,
      change: {
        reviewTargetDays: int(r.fields.target_days, 'target_days'),
        reviewNearDays: int(r.fields.near_days, 'near_days'),
      },
      actor: r.actor,
      now: site.now(),
    });
    return done(r, '/staff/settings');
  });
  guard.route('POST', '/staff/settings/reasons', ADMINISTRATION, async (r) => {
    await saveRejectReason(site.db, {
      code: r.fields.code ?? '',
      label: r.fields.label ?? '',
      publicText: r.fields.public_text ?? '',
      active: r.fields.active === 'on',
      actor: r.actor,
      now: site.now(),
    });
    return done(r, '/staff/settings');
  });
  guard.route('POST', '/staff/settings/policy', ADMINISTRATION, async (r) => {
    const rawValue = (r.fields.value ?? '').trim();
    let value: unknown;
    if (rawValue !== '') {
      try {
        value = JSON.parse(rawValue);
      } catch {
        throw new DomainError(
          'invalid_setting',
          '값은 JSON으로 적으십시오 (예: 100000, {"days":30}, null).',
          { key: r.fields.key },
        );
      }
    }
    await changePolicySetting(site.db, {
      profile: site.deploymentProfile,
      key: r.fields.key ?? '',
      value,
      actor: r.actor,
      now: site.now(),
      ...(r.fields.reason ? { reason: r.fields.reason } : {}),
    });
    await site.refreshSettings();
    return done(r, '/staff/settings');
  });
}
