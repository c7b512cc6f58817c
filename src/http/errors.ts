import type { ErrorCode } from '../domain/errors.js';

/** The statuses error codes map to. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 422 | 429 | 503;

/** The one place error codes become HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, ErrorStatus> = {
  petition_not_found: 404,
  not_found: 404,
  method_not_allowed: 405,
  invalid_transition: 409,
  petition_closed: 409,
  invalid_petition: 422,
  unknown_profile: 400,
  unknown_category: 400,
  invalid_setting: 422,
  invalid_parameter: 400,
  invalid_body: 400,
  body_too_large: 413,
  invalid_email: 400,
  invalid_name: 400,
  invalid_region: 400,
  invalid_postcode: 400,
  invalid_token: 400,
  token_expired: 410,
  petition_not_open: 409,
  rate_limited: 429,
  unauthenticated: 401,
  identity_error: 400,
  mail_unavailable: 503,
  forbidden: 403,
  csrf_rejected: 403,
  invalid_credentials: 401,
  staff_exists: 409,
  checked_out_elsewhere: 409,
  checkout_required: 409,
  personal_data_unresolved: 409,
  election_withheld: 409,
  response_not_found: 404,
  dump_not_ready: 503,
  unknown_format: 422,
  invalid_hash: 400,
  invalid_record: 422,
  case_not_found: 404,
  invalid_api_key: 401,
  insufficient_scope: 403,
  takedown_not_found: 404,
  agreement_blocked: 403,
  invalid_filter: 422,
  four_eyes_required: 403,
  invalidation_not_pending: 409,
};

/**
 * The status of a refused FORM shown again with each field's message (the responder's answer form): a field the
 * rules refused (`invalid_parameter`) is 422 Unprocessable Content — the request was read, its content refused —
 * where the same code from a URL or an API call is 400; every other code keeps its status from `HTTP_STATUS`
 * (an unknown petition typed in the form 404, one that cannot be answered 409).
 */
export function formRefusalStatus(code: ErrorCode): ErrorStatus {
  return code === 'invalid_parameter' ? 422 : HTTP_STATUS[code];
}

/** The JSON error object every API error uses: `{ "error": { "code", "message", "details"? } }`. */
export interface ApiError {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export function apiError(code: ErrorCode, message: string, details?: Record<string, unknown>): ApiError {
  return { error: { code, message, ...(details ? { details } : {}) } };
}
