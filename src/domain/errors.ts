/**
 * The one error type of Cheongwon's rules. Every refusal the platform can give a person carries a stable,
 * machine-readable `code` (the catalogue below); HTTP statuses are mapped from codes once, in `src/http/errors.ts`.
 */
export type ErrorCode =
  // petitions and their lifecycle
  | 'petition_not_found'
  | 'invalid_transition'
  | 'petition_closed'
  | 'invalid_petition'
  // policy profiles and settings
  | 'unknown_profile'
  | 'unknown_category'
  | 'invalid_setting'
  // requests
  | 'invalid_parameter'
  | 'invalid_body'
  | 'body_too_large'
  | 'not_found'
  | 'method_not_allowed'
  // signing
  | 'invalid_email'
  | 'invalid_name'
  | 'invalid_region'
  | 'invalid_postcode'
  | 'invalid_token'
  | 'token_expired'
  | 'petition_not_open'
  | 'rate_limited'
  | 'unauthenticated'
  | 'identity_error'
  | 'mail_unavailable'
  // staff, access and moderation
  | 'forbidden'
  | 'csrf_rejected'
  | 'invalid_credentials'
  | 'staff_exists'
  | 'checked_out_elsewhere'
  | 'checkout_required'
  | 'personal_data_unresolved'
  | 'election_withheld'
  // official responses
  | 'response_not_found'
  // open data
  | 'dump_not_ready'
  // archive import
  | 'unknown_format'
  | 'invalid_record'
  // the response desk
  | 'invalid_hash'
  | 'case_not_found'
  | 'invalid_api_key'
  | 'insufficient_scope'
  | 'takedown_not_found'
  // fraud signals and accountable invalidation (src/domain/fraud.ts)
  | 'agreement_blocked'
  | 'invalid_filter'
  | 'four_eyes_required'
  | 'invalidation_not_pending';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  /**
   * @param code stable identifier clients may branch on (never changes once published)
   * @param message a sentence a person understands (shown to users; Korean or English)
   * @param details optional structured context (field names, allowed values); never personal data
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
