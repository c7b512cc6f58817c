import { z } from '@hono/zod-openapi';
import { PETITION_SORTS } from '../repositories/petitions.js';

/** States whose petitions the public may see in lists and by id. */
export const PUBLIC_LIST_STATES = ['open', 'closed'] as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const noControlCharacters = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);

/**
 * Query parameters of petition lists, shared by the HTML pages and `GET /api/v1/petitions` so both refuse the
 * same things the same way (400 `invalid_parameter`).
 */
export const listQuerySchema = z
  .object({
    q: z
      .string()
      .trim()
      .max(100, 'search text is limited to 100 characters')
      .refine(noControlCharacters, 'search text must not contain control characters')
      .optional()
      .openapi({
        description: 'Text searched in titles and bodies (case-insensitive, Korean-aware)',
        example: 'n번방',
      }),
    state: z
      .enum(PUBLIC_LIST_STATES)
      .optional()
      .openapi({ description: 'Only petitions in this state (default: open and closed)' }),
    category: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, 'category must be a category code such as human-rights')
      .optional()
      .openapi({ description: 'Category code (see the profile settings)', example: 'human-rights' }),
    answered: z
      .enum(['true', 'false'])
      .optional()
      .openapi({ description: 'true: only petitions with an official response' }),
    sort: z
      .enum(PETITION_SORTS)
      .optional()
      .openapi({ description: 'Order (default: relevance when q is given, otherwise agreements)' }),
    page: z.coerce
      .number()
      .int('page must be a whole number')
      .min(1, 'page starts at 1')
      .max(10_000)
      .default(1)
      .openapi({ type: 'integer', example: 1 }),
    per_page: z.coerce
      .number()
      .int('per_page must be a whole number')
      .min(1)
      .max(100, 'per_page is at most 100')
      .default(20)
      .openapi({ type: 'integer', example: 20 }),
  })
  .strict();

export type ListQuery = z.infer<typeof listQuerySchema>;

/** Human-readable summary of zod issues: 'page: page starts at 1; sort: …'. */
export function describeIssues(error: z.ZodError): { message: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : 'query');
    fields[key] = issue.code === 'unrecognized_keys' ? `unknown parameter` : issue.message;
  }
  const message = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  return { message, fields };
}
