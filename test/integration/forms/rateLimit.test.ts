import type { Redis } from 'ioredis';
import type { Context } from 'koa';
import { HubError } from '../../../server/domain/errors';
import { enforceRateLimits } from '../../../server/http/rateLimit';
import { connectRedis } from '../../../server/redis/connect';
import { TEST_REDIS_URL, uniqueRedisPrefix } from '../../support/postgres';

let redis: Redis;
let redisPrefix: string;

beforeAll(() => {
  redis = connectRedis({ url: TEST_REDIS_URL });
});
beforeEach(() => {
  redisPrefix = uniqueRedisPrefix();
});
afterEach(async () => {
  const keys = await redis.keys(`${redisPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});
afterAll(() => redis.quit());

/** The response headers a limit sets; the limiter touches nothing else of the request. */
function response() {
  const headers: Record<string, string> = {};
  return { headers, ctx: { set: (name: string, value: string) => void (headers[name] = value) } as unknown as Context };
}

const at = (iso: string) => new Date(iso);
const hit = (limits: { key: string; limit: number }[], now: Date, ctx = response().ctx) => enforceRateLimits(ctx, { redis, redisPrefix }, limits, now);

describe('enforceRateLimits', () => {
  it('allows the limit within one minute and refuses the next with rate_limited and the seconds to the next minute', async () => {
    const limit = [{ key: 'ip:1', limit: 2 }];
    await hit(limit, at('2030-01-01T10:00:05Z'));
    await hit(limit, at('2030-01-01T10:00:30Z'));
    const { ctx, headers } = response();

    const refused = await hit(limit, at('2030-01-01T10:00:45.500Z'), ctx).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(HubError);
    expect(refused).toMatchObject({ code: 'rate_limited', details: { retryAfter: 15 } });
    expect(headers).toEqual({ 'Retry-After': '15' });
  });

  it('starts counting afresh in the next minute', async () => {
    const limit = [{ key: 'ip:2', limit: 1 }];
    await hit(limit, at('2030-01-01T10:00:59Z'));

    await expect(hit(limit, at('2030-01-01T10:01:00Z'))).resolves.toBeUndefined();
    await expect(hit(limit, at('2030-01-01T10:01:01Z'))).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('counts each key on its own, under the prefix, expiring with its window', async () => {
    await hit([{ key: 'ip:3', limit: 1 }], at('2030-01-01T10:00:00Z'));

    await expect(hit([{ key: 'ip:4', limit: 1 }], at('2030-01-01T10:00:01Z'))).resolves.toBeUndefined();
    const keys = await redis.keys(`${redisPrefix}:ratelimit:*`);
    expect(keys.sort()).toEqual([`${redisPrefix}:ratelimit:ip:3:${Math.floor(Date.parse('2030-01-01T10:00:00Z') / 60_000)}`, expect.stringContaining(':ratelimit:ip:4:')]);
    expect(await redis.ttl(keys[0]!)).toBeGreaterThan(0);
  });

  it('does not count a refused request against the limits after the one it broke', async () => {
    const now = at('2030-01-01T10:00:00Z');
    const limits = [
      { key: 'ip:5', limit: 1 },
      { key: 'form:5', limit: 10 },
    ];
    await hit(limits, now);

    for (let attempt = 0; attempt < 3; attempt++) await expect(hit(limits, now)).rejects.toMatchObject({ code: 'rate_limited' });

    const [formCounter] = await redis.keys(`${redisPrefix}:ratelimit:form:5:*`);
    expect(await redis.get(formCounter!)).toBe('1');
  });
});
