import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig } from '../../../server/config';
import { bullPrefix, createQueues, QUEUE_NAMES, type Queues, RFM_DAILY_EVERY_MS, RFM_DAILY_SCHEDULER_ID } from '../../../server/queues';
import { connectRedis } from '../../../server/redis/connect';
import { TEST_REDIS_URL, uniqueRedisPrefix } from '../../support/postgres';

let connection: Redis;
let redisPrefix: string;
let queues: Queues | undefined;
let worker: Worker | undefined;
let inspect: Queue;

beforeEach(() => {
  connection = connectRedis({ url: TEST_REDIS_URL }, { maxRetriesPerRequest: null });
  redisPrefix = uniqueRedisPrefix();
  inspect = new Queue(QUEUE_NAMES.rfm, { connection, prefix: bullPrefix(redisPrefix) });
});
afterEach(async () => {
  await worker?.close();
  await queues?.close();
  await inspect.obliterate({ force: true });
  await inspect.close();
  connection.disconnect();
  worker = undefined;
  queues = undefined;
});

const producers = (rfmRecomputeDelayMs: number) => {
  const config = loadConfig({ REDIS_PREFIX: redisPrefix, RFM_RECOMPUTE_DELAY_MS: String(rfmRecomputeDelayMs), SECRET_KEY: 'x'.repeat(32) });
  queues = createQueues(connection, config);
  return queues;
};

/** Resolves after the worker has emitted `event` `times` times; rejects if that takes longer than 5 s. */
function events(target: Worker, event: 'active' | 'completed', times: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const timer = setTimeout(() => reject(new Error(`saw ${seen} of ${times} "${event}" events`)), 5000);
    target.on(event, () => {
      if (++seen === times) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

describe('the rfm queue', () => {
  it('coalesces asks made while a recomputation waits for its delay into one job', async () => {
    const { producers: ask } = producers(60_000);

    await Promise.all([ask.recomputeRfm(), ask.recomputeRfm(), ask.recomputeRfm()]);

    expect(await inspect.getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 0, delayed: 1, active: 0 });
  });

  it('runs exactly once more when asked while a recomputation runs, since that run may not see the new orders', async () => {
    const { producers: ask } = producers(0);
    let release!: () => void;
    const firstRunMayFinish = new Promise<void>((resolve) => {
      release = resolve;
    });
    let runs = 0;
    worker = new Worker(
      QUEUE_NAMES.rfm,
      async () => {
        runs++;
        if (runs === 1) await firstRunMayFinish;
      },
      { connection, prefix: bullPrefix(redisPrefix) },
    );
    const firstActive = events(worker, 'active', 1);
    const twoCompleted = events(worker, 'completed', 2);

    await ask.recomputeRfm();
    await firstActive;
    await Promise.all([ask.recomputeRfm(), ask.recomputeRfm(), ask.recomputeRfm()]);
    release();
    await twoCompleted;

    expect(runs).toBe(2);
    expect(await inspect.getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 0, delayed: 0, active: 0 });
  });

  it('registers one daily recomputation however many workers start', async () => {
    const { scheduleDailyRfm } = producers(0);

    await scheduleDailyRfm();
    await scheduleDailyRfm();

    const schedulers = await inspect.getJobSchedulers();
    expect(schedulers).toEqual([expect.objectContaining({ key: RFM_DAILY_SCHEDULER_ID, name: 'recompute', every: RFM_DAILY_EVERY_MS })]);
    expect(RFM_DAILY_EVERY_MS).toBe(24 * 60 * 60 * 1000);
  });
});
