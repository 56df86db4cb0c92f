import type { Redis } from 'ioredis';

/** A limit on messages per window, counted in Redis under `key` by every worker process. */
export type SendLimit = { key: string; max: number; windowMs: number };

// Checks every window first and takes a slot in all of them only when none is full, so a message
// refused by one limit never uses up another. Answers 0, or how long until the fullest window ends.
const TAKE_SLOTS = `
local wait = 0
for i, key in ipairs(KEYS) do
  local max = tonumber(ARGV[3 * i - 2])
  local remaining = tonumber(ARGV[3 * i])
  if tonumber(redis.call('GET', key) or '0') >= max and remaining > wait then wait = remaining end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, tonumber(ARGV[3 * i - 1])) end
end
return 0`;

/**
 * Fixed windows (a second, an hour) shared by every worker process: for the limits BullMQ's own
 * limiter does not cover, a campaign's hourly rate and an SMTP account's rates across campaigns.
 */
export function sendLimiter(redis: Redis, prefix: string): { take: (limits: readonly SendLimit[]) => Promise<number> } {
  return {
    take: async (limits) => {
      if (limits.length === 0) return 0;
      const now = Date.now();
      const keys = limits.map((limit) => `${prefix}:campaign-limit:${limit.key}:${limit.windowMs}:${Math.floor(now / limit.windowMs)}`);
      const args = limits.flatMap((limit) => [limit.max, limit.windowMs, limit.windowMs - (now % limit.windowMs)]);
      return Number(await redis.eval(TAKE_SLOTS, keys.length, ...keys, ...args));
    },
  };
}
