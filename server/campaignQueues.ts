import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CampaignQueues } from './domain/context';

/**
 * Campaign sending runs on three kinds of queue. `campaign-control` carries each campaign's start
 * (plan, resume) and stop; every worker process hears their completion (QueueEvents) and opens or
 * closes its worker for that campaign's own send queue. A send queue per campaign gives each its
 * own BullMQ rate limit and a pause that holds exactly the jobs not yet taken.
 */
export const CAMPAIGN_QUEUES = { control: 'campaign-control', stats: 'campaign-stats' } as const;
export const CAMPAIGN_CONTROL_JOBS = { start: 'start', stop: 'stop' } as const;

export const campaignSendQueue = (campaignId: string) => `campaign-send-${campaignId}`;
export const sendJobId = (recipientId: string) => `recipient-${recipientId}`;

export type CampaignControlJob = { campaignId: string };
/** What a control job tells every worker process: whether the campaign's send queue has work to take. */
export type CampaignControlResult = { campaignId: string; sending: boolean };
export type CampaignSendJob = { recipientId: string };
export type CampaignStatsJob = { campaignId: string };

// How often consoles hear a sending campaign's figures.
export const STATS_INTERVAL_MS = 1000;
const ENQUEUE_BATCH = 1000;

const RETRIED = { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { count: 1000 }, removeOnFail: false } as const;

/**
 * The options of each send job. Finished jobs are removed, failed ones too: the recipient row is
 * the record (with its error), and a resumed campaign must be able to queue a recipient that is
 * still pending again under the same job id.
 */
export const SEND_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: true,
  removeOnFail: true,
} as const;

/** BullMQ's limiter counts whole jobs per window: 2.5 per second is one every 400 ms. */
export function rateWindow(perSecond: number): { max: number; duration: number } {
  return Number.isInteger(perSecond) ? { max: perSecond, duration: 1000 } : { max: 1, duration: Math.max(1, Math.round(1000 / perSecond)) };
}

export function createCampaignQueues(connection: Redis, prefix: string): CampaignQueues & { close: () => Promise<void> } {
  const control = new Queue<CampaignControlJob>(CAMPAIGN_QUEUES.control, { connection, prefix });
  const stats = new Queue<CampaignStatsJob>(CAMPAIGN_QUEUES.stats, { connection, prefix });
  // A send queue object is cheap (it shares the connection): made for each use, closed after it.
  const withSendQueue = async (campaignId: string, work: (queue: Queue<CampaignSendJob>) => Promise<unknown>) => {
    const queue = new Queue<CampaignSendJob>(campaignSendQueue(campaignId), { connection, prefix });
    try {
      await work(queue);
    } finally {
      await queue.close();
    }
  };
  return {
    start: async (campaignId, at) => {
      const when = at?.getTime() ?? Date.now();
      await control.add(CAMPAIGN_CONTROL_JOBS.start, { campaignId }, { ...RETRIED, jobId: `start-${campaignId}-${when}`, delay: Math.max(0, when - Date.now()) });
    },
    enqueueSends: (campaignId, recipientIds) =>
      withSendQueue(campaignId, async (queue) => {
        for (let start = 0; start < recipientIds.length; start += ENQUEUE_BATCH) {
          const batch = recipientIds.slice(start, start + ENQUEUE_BATCH);
          await queue.addBulk(batch.map((recipientId) => ({ name: 'send', data: { recipientId }, opts: { ...SEND_JOB_OPTIONS, jobId: sendJobId(recipientId) } })));
        }
      }),
    setRate: (campaignId, perSecond) =>
      withSendQueue(campaignId, async (queue) => {
        const { max, duration } = rateWindow(perSecond);
        await queue.setGlobalRateLimit(max, duration);
      }),
    pause: (campaignId) => withSendQueue(campaignId, (queue) => queue.pause()),
    resume: (campaignId) => withSendQueue(campaignId, (queue) => queue.resume()),
    stop: async (campaignId) => {
      await withSendQueue(campaignId, async (queue) => {
        await queue.pause();
        // Waiting and delayed jobs go; jobs being processed finish (their claim finds the campaign cancelled).
        await queue.drain(true);
      });
      await control.add(CAMPAIGN_CONTROL_JOBS.stop, { campaignId }, { ...RETRIED, jobId: `stop-${campaignId}` });
    },
    statsChanged: async (campaignId) => {
      // While one push waits, asking again adds nothing; asks made while one runs make one more after it.
      await stats.add(
        'publish',
        { campaignId },
        { delay: STATS_INTERVAL_MS, deduplication: { id: `stats-${campaignId}`, keepLastIfActive: true }, removeOnComplete: true, removeOnFail: { count: 100 } },
      );
    },
    close: async () => {
      await Promise.all([control.close(), stats.close()]);
    },
  };
}
