import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AutomationQueues, AutomationTrigger } from './domain/context';

/**
 * Automated campaigns run on one queue: `trigger` jobs enrol customers, delayed `step` jobs move
 * each enrollment along its sequence, and a daily `inactivity` job enrols the customers whose
 * inactivity crossed an automation's threshold. Sending itself goes through the campaign queues.
 */
export const AUTOMATION_QUEUE = 'automations';
export const AUTOMATION_JOBS = { trigger: 'trigger', step: 'step', inactivity: 'inactivity' } as const;
export const INACTIVITY_SCHEDULER_ID = 'automation-inactivity-daily';
export const INACTIVITY_EVERY_MS = 24 * 60 * 60 * 1000;

export type AutomationTriggerJob = AutomationTrigger;
export type AutomationStepJob = { enrollmentId: string; step: number };
export type AutomationJob = AutomationTriggerJob | AutomationStepJob | Record<string, never>;

// BullMQ job ids may not contain ':'; occurrences are hub ids (letters, digits, '_').
export const triggerJobId = (event: AutomationTrigger) => `trigger-${event.type}-${event.occurrence}`;
export const stepJobId = (enrollmentId: string, step: number) => `step-${enrollmentId}-${step}`;

const RETRIED = { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { count: 1000 }, removeOnFail: false } as const;

export function createAutomationQueues(
  connection: Redis,
  prefix: string,
): AutomationQueues & { scheduleDailyInactivity: () => Promise<void>; close: () => Promise<void> } {
  const queue = new Queue<AutomationJob>(AUTOMATION_QUEUE, { connection, prefix });
  return {
    trigger: async (event) => {
      await queue.add(AUTOMATION_JOBS.trigger, event, { ...RETRIED, jobId: triggerJobId(event) });
    },
    step: async (enrollmentId, step, at) => {
      await queue.add(AUTOMATION_JOBS.step, { enrollmentId, step }, {
        ...RETRIED,
        jobId: stepJobId(enrollmentId, step),
        delay: Math.max(0, at.getTime() - Date.now()),
      });
    },
    // A repeatable job, not a poll: once a day, one set-based query per inactivity automation.
    scheduleDailyInactivity: async () => {
      await queue.upsertJobScheduler(
        INACTIVITY_SCHEDULER_ID,
        { every: INACTIVITY_EVERY_MS },
        { name: AUTOMATION_JOBS.inactivity, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
      );
    },
    close: () => queue.close(),
  };
}
