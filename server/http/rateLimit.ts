import type { Context } from 'koa';
import { HubError } from '../domain/errors';
import type { HttpDeps } from './deps';

/** At most `limit` requests per minute counted under `key`. */
export type RateLimit = { key: string; limit: number };

const WINDOW_SECONDS = 60;

/**
 * Counts this request against each limit in turn, in fixed one-minute windows shared by every
 * server process through Redis. The first limit exceeded refuses it with 429 and Retry-After,
 * and later limits are not counted: one noisy client cannot use up a limit it shares with others.
 */
export async function enforceRateLimits(ctx: Context, deps: Pick<HttpDeps, 'redis' | 'redisPrefix'>, limits: readonly RateLimit[], now: Date): Promise<void> {
  const window = Math.floor(now.getTime() / 1000 / WINDOW_SECONDS);
  for (const { key, limit } of limits) {
    const counter = `${deps.redisPrefix}:ratelimit:${key}:${window}`;
    const replies = await deps.redis.multi().incr(counter).expire(counter, WINDOW_SECONDS * 2).exec();
    const [error, count] = replies?.[0] ?? [new Error('Redis answered no count')];
    if (error) throw error;
    if (Number(count) > limit) {
      const retryAfter = (window + 1) * WINDOW_SECONDS - Math.floor(now.getTime() / 1000);
      ctx.set('Retry-After', String(retryAfter));
      throw new HubError('rate_limited', `Too many requests; try again in ${retryAfter} s`, { retryAfter });
    }
  }
}
