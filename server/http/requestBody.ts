import type { Context, Middleware } from 'koa';
import getRawBody from 'raw-body';
import { HubError } from '../domain/errors';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body (jsonBody) or the raw bytes (rawBody), when the request had one. */
    body?: unknown;
  }
}

const JSON_LIMIT_BYTES = 1024 * 1024;

/** Route middleware: parses an application/json body into ctx.request.body. */
export function jsonBody(limitBytes = JSON_LIMIT_BYTES): Middleware {
  return async (ctx, next) => {
    if (hasBody(ctx)) {
      if (!ctx.is('application/json')) throw new HubError('unsupported_media_type', 'Send the request body as application/json');
      const text = (await readBody(ctx, limitBytes)).toString('utf8');
      try {
        ctx.request.body = JSON.parse(text);
      } catch {
        throw new HubError('invalid_json', 'The request body is not valid JSON');
      }
      // PostgreSQL cannot store U+0000 in text or jsonb; refuse it here rather than fail on write.
      if (holdsNul(ctx.request.body)) throw new HubError('validation_failed', 'The request body holds a NUL character (\\u0000)');
    }
    await next();
  };
}

/** Route middleware: the body's bytes, as they came, into ctx.request.body (a Buffer). */
export function rawBody(limitBytes: number): Middleware {
  return async (ctx, next) => {
    ctx.request.body = hasBody(ctx) ? await readBody(ctx, limitBytes) : Buffer.alloc(0);
    await next();
  };
}

const hasBody = (ctx: Context) => Boolean(ctx.request.length) || Boolean(ctx.get('transfer-encoding'));

async function readBody(ctx: Context, limit: number): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit, length: ctx.request.length });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') {
      throw new HubError('payload_too_large', `The request body is larger than ${limit} bytes`);
    }
    throw new HubError('validation_failed', 'The request body could not be read');
  }
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([key, item]) => key.includes('\0') || holdsNul(item));
  return false;
}
