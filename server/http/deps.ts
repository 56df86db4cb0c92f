import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DomainContext } from '../domain/context';

export type HttpDeps = {
  domain: DomainContext;
  secretKey: string;
  email: Config['email'];
  crm: Config['crm'];
  /** For counters shared by every server process (rate limits); keys start with redisPrefix. */
  redis: Redis;
  redisPrefix: string;
  log: Logger;
  /** Each resolves when its dependency answers, for /readyz. */
  readiness: { database: () => Promise<unknown>; redis: () => Promise<unknown> };
};
