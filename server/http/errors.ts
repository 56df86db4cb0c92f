import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { type ErrorCode, HubError, publicError } from '../domain/errors';

const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  message_empty: 400,
  message_too_long: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conversation_not_found: 404,
  customer_not_found: 404,
  message_not_found: 404,
  attachment_not_found: 404,
  conversation_not_resolved: 409,
  csat_already_given: 409,
  widget_not_built: 503,
  inbound_email_disabled: 404,
  email_rejected: 422,
  method_not_allowed: 405,
  client_id_conflict: 409,
  invalid_email: 400,
  invalid_phone: 400,
  identity_conflict: 409,
  identity_verification_failed: 401,
  customer_merged: 410,
  customer_erased: 409,
  merge_conflict: 409,
  order_conflict: 409,
  currency_mismatch: 422,
  form_not_found: 404,
  form_key_taken: 409,
  team_name_taken: 409,
  default_team_taken: 409,
  agent_email_taken: 409,
  canned_response_conflict: 409,
  origin_not_allowed: 403,
  rate_limited: 429,
  campaign_not_found: 404,
  campaign_state: 409,
  automation_not_found: 404,
  segment_not_found: 404,
  segment_in_use: 409,
  segment_name_taken: 409,
  invalid_segment: 400,
  invalid_template: 400,
  csv_invalid: 422,
  import_invalid: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
};

/** The one exit for errors: `{ error: { code, message } }` with the status the code means. */
export function errorResponses(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body === undefined && ctx.status === 404) throw new HubError('not_found', `No route ${ctx.method} ${ctx.path}`);
      if (ctx.body === undefined && (ctx.status === 405 || ctx.status === 501)) {
        throw new HubError('method_not_allowed', `${ctx.method} is not allowed here; use ${ctx.response.get('Allow') || 'another method'}`);
      }
    } catch (error) {
      const body = publicError(error);
      if (body.code === 'internal') log.error({ err: error, requestId: ctx.state.requestId }, 'request failed');
      ctx.status = statusByCode[body.code];
      ctx.body = { error: body };
      if (error instanceof HubError && error.code === 'unauthorized') ctx.set('WWW-Authenticate', 'Bearer');
    }
  };
}
