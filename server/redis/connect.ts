import { Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: a URL (REDIS_URL) or the unix socket of the embedded redis-server. */
export type RedisTarget = { url: string } | { path: string };

export function connectRedis(target: RedisTarget, options: RedisOptions = {}): Redis {
  return 'url' in target ? new Redis(target.url, options) : new Redis({ ...options, path: target.path });
}
