/** Every failure a client can be told about, by stable code. Transports map codes to statuses. */
export type ErrorCode =
  | 'validation_failed'
  | 'message_empty'
  | 'message_too_long'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'invalid_cursor'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'conversation_not_found'
  | 'customer_not_found'
  | 'message_not_found'
  | 'client_id_conflict'
  | 'invalid_email'
  | 'invalid_phone'
  | 'identity_conflict'
  | 'identity_verification_failed'
  | 'customer_merged'
  | 'customer_erased'
  | 'merge_conflict'
  | 'order_conflict'
  | 'currency_mismatch'
  | 'form_not_found'
  | 'form_key_taken'
  | 'team_name_taken'
  | 'default_team_taken'
  | 'agent_email_taken'
  | 'canned_response_conflict'
  | 'origin_not_allowed'
  | 'rate_limited'
  | 'campaign_not_found'
  | 'campaign_state'
  | 'automation_not_found'
  | 'segment_not_found'
  | 'segment_in_use'
  | 'segment_name_taken'
  | 'invalid_segment'
  | 'invalid_template'
  | 'csv_invalid'
  | 'import_invalid'
  | 'attachment_not_found'
  | 'conversation_not_resolved'
  | 'csat_already_given'
  | 'widget_not_built'
  | 'inbound_email_disabled'
  | 'email_rejected'
  | 'method_not_allowed'
  | 'unavailable'
  | 'internal';

/** An expected failure whose message is safe to show to the client. */
export class HubError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

/** What a client is told about a failure: the HubError as it is, anything else as `internal`. */
export function publicError(error: unknown): { code: ErrorCode; message: string; details?: unknown } {
  if (error instanceof HubError) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  return { code: 'internal', message: 'Something went wrong on our side; it has been logged' };
}
