import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import { HubError } from '../domain/errors';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body, when the request had one. */
    body?: unknown;
  }
}

const BODY_LIMIT_BYTES = 1024 * 1024;

/** Parses JSON request bodies into ctx.request.body; anything else with a body is refused. */
export function jsonBody(): Middleware {
  return async (ctx, next) => {
    if (!ctx.request.length && !ctx.get('transfer-encoding')) return next();
    if (!ctx.is('application/json')) {
      throw new HubError('unsupported_media_type', 'Send the request body as application/json');
    }
    let text: string;
    try {
      text = await getRawBody(ctx.req, { limit: BODY_LIMIT_BYTES, encoding: 'utf8', length: ctx.request.length });
    } catch (error) {
      if ((error as { type?: string }).type === 'entity.too.large') {
        throw new HubError('payload_too_large', `The request body is larger than ${BODY_LIMIT_BYTES} bytes`);
      }
      throw new HubError('validation_failed', 'The request body could not be read');
    }
    try {
      ctx.request.body = JSON.parse(text);
    } catch {
      throw new HubError('invalid_json', 'The request body is not valid JSON');
    }
    return next();
  };
}
