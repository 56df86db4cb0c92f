import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { HubError } from '../domain/errors';
import { bullPrefix, QUEUE_NAMES } from '../queues';

/** Job states counted per queue (BullMQ's names). */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A job that failed for good (or is between retries), kept for inspection. */
export type FailedJob = {
  id: string;
  name: string;
  data: unknown;
  failedReason: string;
  attemptsMade: number;
  /** When it was enqueued, and when its last attempt ended. */
  timestamp: string;
  finishedOn: string | null;
};

export type QueueInspector = {
  /** Every queue's job counts by state. */
  counts: () => Promise<Record<string, Record<JobState, number>>>;
  /** The newest failed jobs of a queue, newest first. */
  failedJobs: (queue: string, limit: number) => Promise<FailedJob[]>;
  /** Puts a failed job back in its queue with a fresh set of attempts; not_found for an unknown queue or job. */
  retry: (queue: string, jobId: string) => Promise<void>;
  close: () => Promise<void>;
};

export const queueNames: readonly string[] = Object.values(QUEUE_NAMES);

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

/**
 * Reads the queues for operators. BullMQ queue objects are made on first use, so a router
 * built only to be inspected never touches Redis.
 */
export function createQueueInspector(connection: Redis, redisPrefix: string): QueueInspector {
  const queues = new Map<string, Queue>();
  const queue = (name: string): Queue => {
    if (!queueNames.includes(name)) throw new HubError('not_found', `No queue ${name}; the queues are ${queueNames.join(', ')}`);
    let found = queues.get(name);
    if (!found) {
      found = new Queue(name, { connection, prefix: bullPrefix(redisPrefix) });
      queues.set(name, found);
    }
    return found;
  };

  return {
    counts: async () =>
      Object.fromEntries(
        await Promise.all(
          queueNames.map(async (name) => {
            const counts = await queue(name).getJobCounts(...JOB_STATES);
            return [name, Object.fromEntries(JOB_STATES.map((state) => [state, counts[state] ?? 0])) as Record<JobState, number>] as const;
          }),
        ),
      ),
    failedJobs: async (name, limit) => {
      const jobs = await queue(name).getFailed(0, limit - 1);
      return jobs.map((job) => ({
        id: job.id!,
        name: job.name,
        data: job.data,
        failedReason: job.failedReason,
        attemptsMade: job.attemptsMade,
        timestamp: iso(job.timestamp)!,
        finishedOn: iso(job.finishedOn),
      }));
    },
    retry: async (name, jobId) => {
      const job = await queue(name).getJob(jobId);
      if (!job || !(await job.isFailed())) throw new HubError('not_found', `No failed job ${jobId} in queue ${name}`);
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    },
    close: async () => {
      await Promise.all([...queues.values()].map((opened) => opened.close()));
    },
  };
}
