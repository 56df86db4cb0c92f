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
import { recomputeRfm } from './rfm';

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
  // One recomputation at a time per process; the domain's advisory lock orders them across processes.
  const rfm = new Worker(QUEUE_NAMES.rfm, recomputeRfm({ domain, log }), { connection, prefix: bullPrefix(config.redisPrefix), concurrency: 1 });
  for (const [name, worker] of [[QUEUE_NAMES.emailOut, emailOut], [QUEUE_NAMES.rfm, rfm]] as const) {
    worker.on('failed', (job, error) => log.warn({ jobId: job?.id, queue: name, err: error }, 'job failed'));
    worker.on('error', (error) => log.error({ err: error, queue: name }, 'worker error'));
  }
  await Promise.all([emailOut.waitUntilReady(), rfm.waitUntilReady()]);
  await queues.scheduleDailyRfm();
  log.info({ queues: [QUEUE_NAMES.emailOut, QUEUE_NAMES.rfm] }, 'workers ready');
  return {
    // Worker.close() waits for the jobs in progress to finish.
    close: async () => {
      await Promise.all([emailOut.close(), rfm.close()]);
      await queues.close();
      transport.close();
      connection.disconnect();
    },
  };
}
