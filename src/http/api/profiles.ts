import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { getProfile, PROFILE_CODES } from '../../domain/policy-profiles.js';
import type { Site } from '../site.js';
import { CategoriesSchema, errorResponse, ProfileSettingsSchema, RATE_LIMITED_RESPONSE } from './schemas.js';

const profileCode = z.enum(PROFILE_CODES);

const categoriesRoute = createRoute({
  method: 'get',
  path: '/categories',
  summary: 'Petition categories of a policy profile',
  request: {
    query: z
      .object({
        profile: profileCode.optional().openapi({
          description: 'Policy profile (default: the deployment’s)',
          example: 'cheongwadae',
        }),
      })
      .strict(),
  },
  responses: {
    200: { description: 'The categories', content: { 'application/json': { schema: CategoriesSchema } } },
    400: errorResponse('Unknown profile or parameter'),
    429: RATE_LIMITED_RESPONSE,
  },
});

const settingsRoute = createRoute({
  method: 'get',
  path: '/profiles/{profile}/settings',
  summary: 'A policy profile and its effective settings (thresholds, periods, deadlines)',
  request: {
    params: z.object({
      profile: profileCode.openapi({ param: { name: 'profile', in: 'path' }, example: 'cheongwadae' }),
    }),
  },
  responses: {
    200: { description: 'The profile', content: { 'application/json': { schema: ProfileSettingsSchema } } },
    400: errorResponse('Unknown profile'),
    429: RATE_LIMITED_RESPONSE,
  },
});

/** Mounts `GET /categories` and `GET /profiles/{profile}/settings`. */
export function registerProfileRoutes(api: OpenAPIHono, site: Site): void {
  api.openapi(categoriesRoute, (c) => {
    const profile = getProfile(c.req.valid('query').profile ?? site.deploymentProfile);
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json(
      {
        profile: profile.code,
        data: profile.categories.map((cat) => ({ code: cat.code, name_ko: cat.ko, name_en: cat.en })),
      },
      200,
    );
  });

  api.openapi(settingsRoute, (c) => {
    const profile = getProfile(c.req.valid('param').profile);
    // the settings every app server currently applies (re-read from the database every 30 s)
    const s = site.profile(profile.code).settings;
    c.header('Cache-Control', 'public, max-age=30');
    return c.json(
      {
        profile: profile.code,
        name_ko: profile.name.ko,
        name_en: profile.name.en,
        time_zone: profile.timeZone,
        locale: profile.locale,
        archive_only: profile.archiveOnly,
        consequences: { response: profile.consequences.response, debate: profile.consequences.debate },
        settings: {
          pre_agreement_threshold: s.preAgreementThreshold,
          pre_agreement_period: s.preAgreementPeriod,
          agreement_period: s.agreementPeriod,
          response_threshold: s.responseThreshold,
          debate_threshold: s.debateThreshold,
          response_deadline: s.responseDeadline,
        },
        sources: [...profile.sources],
      },
      200,
    );
  });
}
