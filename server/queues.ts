import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DomainContext } from './domain/context';

/** Queue names: a public contract between servers and workers of possibly different versions. */
export const QUEUE_NAMES = { emailOut: 'email-out', rfm: 'rfm' } as const;

/** Retries with exponential backoff (2 s, 4 s, 8 s, …, about a minute in all) before giving up. */
export const EMAIL_OUT_ATTEMPTS = 6;

export type EmailOutJob = { messageId: string };

/** The one RFM job id: while a recomputation waits, asking again adds nothing. */
export const RFM_RECOMPUTE_JOB_ID = 'rfm-recompute';

export const bullPrefix = (redisPrefix: string) => `${redisPrefix}:bull`;

export type Queues = { producers: DomainContext['queues']; close: () => Promise<void> };

/** The producers the domain enqueues with; each job id is the message id, so a message is queued once. */
export function createQueues(connection: Redis, options: { redisPrefix: string; rfmRecomputeDelayMs: number }): Queues {
  const prefix = bullPrefix(options.redisPrefix);
  const emailOut = new Queue<EmailOutJob>(QUEUE_NAMES.emailOut, { connection, prefix });
  const rfm = new Queue(QUEUE_NAMES.rfm, { connection, prefix });
  return {
    producers: {
      emailOut: async (messageId) => {
        await emailOut.add(
          'send',
          { messageId },
          {
            jobId: messageId,
            attempts: EMAIL_OUT_ATTEMPTS,
            backoff: { type: 'exponential', delay: 2000 },
            removeOnComplete: { count: 1000 },
            // Failed jobs stay for inspection.
            removeOnFail: false,
          },
        );
      },
      recomputeRfm: async () => {
        await rfm.add(
          'recompute',
          {},
          { jobId: RFM_RECOMPUTE_JOB_ID, delay: options.rfmRecomputeDelayMs, removeOnComplete: true, removeOnFail: { count: 100 } },
        );
      },
    },
    close: async () => {
      await Promise.all([emailOut.close(), rfm.close()]);
    },
  };
}
