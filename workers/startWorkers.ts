import { Emitter } from '@socket.io/redis-emitter';
import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { createMailTransport } from '../server/channels/email/outbound';
import type { Config } from '../server/config';
import type { Database } from '../server/db/database';
import { type DomainContext, domainSettings } from '../server/domain/context';
import { bullPrefix, createQueues, QUEUE_NAMES } from '../server/queues';
import { createPublisher } from '../server/realtime/publisher';
import { connectRedis, type RedisTarget } from '../server/redis/connect';
import { sendEmailReply } from './emailOut';

export type RunningWorkers = { close: () => Promise<void> };

/**
 * Runs the queue processors. They tell consoles what happened through Redis (the Socket.IO
 * emitter), so they work the same in the server's process and in a worker process of their own.
 */
export async function startWorkers(config: Config, log: Logger, shared: { db: Database; redis: RedisTarget }): Promise<RunningWorkers> {
  const connection = connectRedis(shared.redis, { maxRetriesPerRequest: null });
  connection.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
  const queues = createQueues(connection, { redisPrefix: config.redisPrefix, rfmRecomputeDelayMs: config.crm.rfmRecomputeDelayMs });
  const emitter = new Emitter(connection, { key: `${config.redisPrefix}:socket.io` });
  const domain: DomainContext = {
    db: shared.db,
    publish: createPublisher(emitter),
    queues: queues.producers,
    now: () => new Date(),
    settings: domainSettings(config),
  };
  const transport = createMailTransport(config);
  const emailOut = new Worker(QUEUE_NAMES.emailOut, sendEmailReply({ domain, transport, email: config.email, log }), {
    connection,
    prefix: bullPrefix(config.redisPrefix),
    concurrency: config.email.outboundConcurrency,
  });
  emailOut.on('failed', (job, error) => log.warn({ jobId: job?.id, queue: QUEUE_NAMES.emailOut, err: error }, 'job failed'));
  emailOut.on('error', (error) => log.error({ err: error, queue: QUEUE_NAMES.emailOut }, 'worker error'));
  await emailOut.waitUntilReady();
  log.info({ queues: [QUEUE_NAMES.emailOut] }, 'workers ready');
  return {
    // Worker.close() waits for the jobs in progress to finish.
    close: async () => {
      await emailOut.close();
      await queues.close();
      transport.close();
      connection.disconnect();
    },
  };
}
