import { Emitter } from '@socket.io/redis-emitter';
import { type Processor, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { createMailTransport } from '../server/channels/email/outbound';
import type { Config } from '../server/config';
import type { Database } from '../server/db/database';
import { type DomainContext, domainSettings } from '../server/domain/context';
import { timedProcessor } from '../server/operations/jobTimings';
import { bullPrefix, createQueues, QUEUE_NAMES } from '../server/queues';
import { presenceReader } from '../server/realtime/presence';
import { createPublisher } from '../server/realtime/publisher';
import { connectRedis, type RedisTarget } from '../server/redis/connect';
import { AUTOMATION_QUEUE } from '../server/automationQueues';
import { CAMPAIGN_QUEUES } from '../server/campaignQueues';
import { automationProcessor } from './automations';
import { campaignControl, publishCampaignStats } from './campaignControl';
import { startCampaignSenders } from './campaignSenders';
import { classifyProcessor } from './classify/processor';
import { sendEmailReply } from './emailOut';
import { recomputeRfm } from './rfm';
import { routeProcessor } from './route';
import { checkSla } from './sla';
import { wakeSnoozedConversation } from './snooze';

export type RunningWorkers = { close: () => Promise<void> };

/**
 * Runs the queue processors. They tell consoles what happened through Redis (the Socket.IO
 * emitter), so they work the same in the server's process and in a worker process of their own.
 */
export async function startWorkers(config: Config, log: Logger, shared: { db: Database; redis: RedisTarget }): Promise<RunningWorkers> {
  const connection = connectRedis(shared.redis, { maxRetriesPerRequest: null });
  connection.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
  const queues = createQueues(connection, config);
  const emitter = new Emitter(connection, { key: `${config.redisPrefix}:socket.io` });
  const domain: DomainContext = {
    db: shared.db,
    publish: createPublisher(emitter),
    queues: queues.producers,
    now: () => new Date(),
    settings: domainSettings(config),
  };
  const transport = createMailTransport(config);
  // Each queue's processor and how many of its jobs one process runs at once.
  const processors: { queue: string; concurrency: number; process: Processor }[] = [
    { queue: QUEUE_NAMES.emailOut, concurrency: config.email.outboundConcurrency, process: sendEmailReply({ domain, transport, email: config.email, log }) },
    // One recomputation at a time per process; the domain's advisory lock orders them across processes.
    { queue: QUEUE_NAMES.rfm, concurrency: 1, process: recomputeRfm({ domain, log }) },
    { queue: QUEUE_NAMES.classify, concurrency: config.workers.concurrency.classify, process: classifyProcessor({ domain, log, workers: config.workers, dataDir: config.dataDir }) },
    { queue: QUEUE_NAMES.route, concurrency: config.workers.concurrency.route, process: routeProcessor({ domain, log, presence: presenceReader(connection, config.redisPrefix) }) },
    { queue: QUEUE_NAMES.sla, concurrency: config.workers.concurrency.sla, process: checkSla({ domain, log }) },
    { queue: QUEUE_NAMES.snooze, concurrency: 2, process: wakeSnoozedConversation({ domain, log }) },
    { queue: CAMPAIGN_QUEUES.control, concurrency: 2, process: campaignControl({ domain, log }) },
    { queue: CAMPAIGN_QUEUES.stats, concurrency: 4, process: publishCampaignStats({ domain }) },
    { queue: AUTOMATION_QUEUE, concurrency: 4, process: automationProcessor({ domain, log }) },
  ];
  const workers = processors.map(({ queue, concurrency, process }) => {
    // Every job's latency and run time go to Redis for /metrics.
    const timed = timedProcessor(connection, config.redisPrefix, queue, process, (error) => log.warn({ err: error, queue }, 'job timing not recorded'));
    const worker = new Worker(queue, timed, { connection, prefix: bullPrefix(config.redisPrefix), concurrency });
    worker.on('failed', (job, error) => log.warn({ jobId: job?.id, queue, attempt: job?.attemptsMade, err: error }, 'job failed'));
    worker.on('error', (error) => log.error({ err: error, queue }, 'worker error'));
    return worker;
  });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  // Each sending campaign has a send queue of its own, opened and closed as campaigns start and stop.
  const campaignSenders = await startCampaignSenders({ domain, log, connection, config });
  await queues.scheduleDailyRfm();
  await queues.scheduleDailyInactivity();
  log.info({ queues: processors.map((processor) => processor.queue) }, 'workers ready');
  return {
    // Worker.close() waits for the jobs in progress to finish.
    close: async () => {
      await campaignSenders.close();
      await Promise.all(workers.map((worker) => worker.close()));
      await queues.close();
      transport.close();
      connection.disconnect();
    },
  };
}
