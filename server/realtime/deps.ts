import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DomainContext } from '../domain/context';
import type { InFlight } from '../inFlight';

export type RealtimeDeps = {
  domain: DomainContext;
  log: Logger;
  inFlight: InFlight;
  secretKey: string;
  /** Verifies identities a site vouches for (visitor:identify's hash); unset means none are trusted. */
  widgetIdentitySecret: string | undefined;
  /** Agent presence, shared by every server process; keys start with redisPrefix. */
  redis: Redis;
  redisPrefix: string;
};
