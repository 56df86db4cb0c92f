import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DomainContext } from '../domain/context';
import type { QueueInspector } from '../operations/queueInspector';
import type { IntentModelLocation } from '../domain/intents';

export type HttpDeps = {
  domain: DomainContext;
  secretKey: string;
  email: Config['email'];
  crm: Config['crm'];
  /** Where the intent model is, for describing it (the server never loads the classifier). */
  intentModels: IntentModelLocation;
  /** The hub's DATA_DIR: mail with no SMTP server configured is written under its outbox/. */
  dataDir: string;
  /** For counters shared by every server process (rate limits); keys start with redisPrefix. */
  redis: Redis;
  redisPrefix: string;
  log: Logger;
  /** Queue health for /metrics and the admins' queue routes; with metricsToken, /metrics needs it as a bearer token. */
  operations: { queues: QueueInspector; metricsToken: string | undefined };
  /** Each resolves when its dependency answers, for /readyz. */
  readiness: { database: () => Promise<unknown>; redis: () => Promise<unknown> };
};
