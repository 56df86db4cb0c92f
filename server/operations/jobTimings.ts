import type { Processor } from 'bullmq';
import type { Redis } from 'ioredis';

/** Upper bounds of the histogram buckets, in seconds (Prometheus `le`): 5 ms to a minute. */
export const BUCKET_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

/** `latency`: from the job being due (enqueued, or its delay over) to its completion; `processing`: its last run. */
export const TIMINGS = ['latency', 'processing'] as const;
export type Timing = (typeof TIMINGS)[number];

/** Counts per bucket (cumulative, as Prometheus wants them, the last being +Inf), the sum in seconds, the count. */
export type Histogram = { buckets: number[]; sum: number; count: number };

/** What a completed job tells about its times (BullMQ's Job has these fields). */
export type CompletedJob = { timestamp: number; processedOn?: number; opts: { delay?: number } };

const SUM = 'sum';
const COUNT = 'count';
const INFINITY = '+Inf';

// One hash per queue and timing, shared by every worker process: a field per bucket (not
// cumulative, so one HINCRBY records an observation), plus the sum and the count.
const keyOf = (redisPrefix: string, timing: Timing, queue: string) => `${redisPrefix}:metrics:job_${timing}:${queue}`;

const bucketOf = (seconds: number) => String(BUCKET_BOUNDS.find((bound) => seconds <= bound) ?? INFINITY);

/** Records a job that just completed into its queue's latency and processing-time histograms. */
export async function recordJobTimings(redis: Redis, redisPrefix: string, queue: string, job: CompletedJob, finishedAt: number): Promise<void> {
  const seconds: Record<Timing, number> = {
    latency: Math.max(0, finishedAt - job.timestamp - (job.opts.delay ?? 0)) / 1000,
    processing: Math.max(0, finishedAt - (job.processedOn ?? finishedAt)) / 1000,
  };
  const transaction = redis.multi();
  for (const timing of TIMINGS) {
    const key = keyOf(redisPrefix, timing, queue);
    transaction.hincrby(key, bucketOf(seconds[timing]), 1).hincrbyfloat(key, SUM, seconds[timing]).hincrby(key, COUNT, 1);
  }
  await transaction.exec();
}

/** Every queue's histograms, as recorded by all worker processes. */
export async function readJobTimings(redis: Redis, redisPrefix: string, queues: readonly string[]): Promise<Record<string, Record<Timing, Histogram>>> {
  const pipeline = redis.pipeline();
  for (const queue of queues) for (const timing of TIMINGS) pipeline.hgetall(keyOf(redisPrefix, timing, queue));
  const replies = (await pipeline.exec()) ?? [];
  const hashes = replies.map(([error, hash]) => {
    if (error) throw error;
    return hash as Record<string, string>;
  });
  return Object.fromEntries(
    queues.map((queue, index) => [
      queue,
      Object.fromEntries(TIMINGS.map((timing, offset) => [timing, histogramOf(hashes[index * TIMINGS.length + offset]!)])) as Record<Timing, Histogram>,
    ]),
  );
}

function histogramOf(hash: Record<string, string>): Histogram {
  let running = 0;
  const buckets = [...BUCKET_BOUNDS.map(String), INFINITY].map((field) => (running += Number(hash[field] ?? 0)));
  return { buckets, sum: Number(hash[SUM] ?? 0), count: Number(hash[COUNT] ?? 0) };
}

/**
 * The processor, recording each job's times when it succeeds. Recorded before BullMQ marks the
 * job completed, so anyone who sees it completed also sees its times; a failed recording is
 * reported, never fails the job.
 */
export function timedProcessor(
  redis: Redis,
  redisPrefix: string,
  queue: string,
  process: Processor,
  onRecordingError: (error: unknown) => void,
): Processor {
  return async (job, token, signal) => {
    const result: unknown = await process(job, token, signal);
    await recordJobTimings(redis, redisPrefix, queue, job, Date.now()).catch(onRecordingError);
    return result;
  };
}
