import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createAutomationQueues } from './automationQueues';
import { createCampaignQueues } from './campaignQueues';
import type { Config } from './config';
import type { DomainContext, SlaCheck } from './domain/context';

/** Queue names: a public contract between servers and workers of possibly different versions. */
export const QUEUE_NAMES = { emailOut: 'email-out', rfm: 'rfm', classify: 'classify', route: 'route', sla: 'sla', snooze: 'snooze' } as const;

/** Job names within the route queue. */
export const ROUTE_JOBS = { conversation: 'route-conversation', drainTeam: 'drain-team', agentOffline: 'agent-offline' } as const;

/** Retries with exponential backoff (2 s, 4 s, 8 s, …, about a minute in all) before giving up. */
export const EMAIL_OUT_ATTEMPTS = 6;

export type EmailOutJob = { messageId: string };
export type ClassifyJob = { messageId: string };
export type RouteJob = { conversationId: string } | { teamId: string } | { agentId: string };
export type SlaJob = SlaCheck;
export type SnoozeJob = { conversationId: string; until: string };

/** Retried with exponential backoff (1 s, 2 s, 4 s, 8 s); jobs that fail for good stay for inspection. */
const RETRIED = { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { count: 1000 }, removeOnFail: false } as const;

/** Asks for an RFM recomputation share this deduplication id: while one waits, asking again adds nothing. */
export const RFM_DEDUPLICATION_ID = 'rfm-recompute';

/** Recency changes with time, not only with orders: the scores are also recomputed once a day. */
export const RFM_DAILY_SCHEDULER_ID = 'rfm-daily';
export const RFM_DAILY_EVERY_MS = 24 * 60 * 60 * 1000;

export const bullPrefix = (redisPrefix: string) => `${redisPrefix}:bull`;

export type Queues = {
  producers: DomainContext['queues'];
  /** Registers the daily RFM recomputation (idempotent: every worker process may call it at start). */
  scheduleDailyRfm: () => Promise<void>;
  /** Registers the daily inactivity check of automations (idempotent, like the RFM one). */
  scheduleDailyInactivity: () => Promise<void>;
  close: () => Promise<void>;
};

/** The producers the domain enqueues with; each job id is the message id, so a message is queued once. */
export function createQueues(connection: Redis, config: Pick<Config, 'redisPrefix' | 'crm' | 'workers'>): Queues {
  const prefix = bullPrefix(config.redisPrefix);
  const emailOut = new Queue<EmailOutJob>(QUEUE_NAMES.emailOut, { connection, prefix });
  const rfm = new Queue(QUEUE_NAMES.rfm, { connection, prefix });
  const classify = new Queue<ClassifyJob>(QUEUE_NAMES.classify, { connection, prefix });
  const route = new Queue<RouteJob>(QUEUE_NAMES.route, { connection, prefix });
  const sla = new Queue<SlaJob>(QUEUE_NAMES.sla, { connection, prefix });
  const snooze = new Queue<SnoozeJob>(QUEUE_NAMES.snooze, { connection, prefix });
  const campaigns = createCampaignQueues(connection, prefix);
  const { scheduleDailyInactivity, close: closeAutomations, ...automations } = createAutomationQueues(connection, prefix);
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
        // Not a fixed jobId: BullMQ ignores an add whose id is taken, so an order committed while
        // a recomputation runs (after its snapshot) would wait a day for its scores. With
        // keepLastIfActive, asks made while one runs queue exactly one more run after it.
        await rfm.add(
          'recompute',
          {},
          {
            deduplication: { id: RFM_DEDUPLICATION_ID, keepLastIfActive: true },
            delay: config.crm.rfmRecomputeDelayMs,
            removeOnComplete: true,
            removeOnFail: { count: 100 },
          },
        );
      },
      classify: async (messageId) => {
        await classify.add('classify', { messageId }, { ...RETRIED, jobId: `classify-${messageId}` });
      },
      // Routing asks coalesce while one waits: the processor reads the conversation as it is then.
      route: async (conversationId) => {
        await route.add(ROUTE_JOBS.conversation, { conversationId }, { ...RETRIED, deduplication: { id: `route-${conversationId}` } });
      },
      drainTeamQueue: async (teamId) => {
        await route.add(ROUTE_JOBS.drainTeam, { teamId }, { ...RETRIED, deduplication: { id: `drain-${teamId}`, keepLastIfActive: true } });
      },
      agentWentOffline: async (agentId) => {
        await route.add(ROUTE_JOBS.agentOffline, { agentId }, { ...RETRIED, delay: config.workers.agentOfflineGraceMs });
      },
      checkSla: async (check, at) => {
        await sla.add('check', check, {
          ...RETRIED,
          jobId: `sla-${check.conversationId}-${check.target}-${check.stage}-${Date.parse(check.dueAt)}`,
          delay: Math.max(0, at.getTime() - Date.now()),
        });
      },
      // One job per conversation and time: snoozing again to another time adds another job, and
      // the one whose time is no longer the conversation's does nothing when it fires.
      wakeSnoozed: async (conversationId, until) => {
        await snooze.add('wake', { conversationId, until: until.toISOString() }, {
          ...RETRIED,
          jobId: `snooze-${conversationId}-${until.getTime()}`,
          delay: Math.max(0, until.getTime() - Date.now()),
        });
      },
      campaigns,
      automations,
    },
    scheduleDailyInactivity,
    scheduleDailyRfm: async () => {
      await rfm.upsertJobScheduler(
        RFM_DAILY_SCHEDULER_ID,
        { every: RFM_DAILY_EVERY_MS },
        { name: 'recompute', opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
      );
    },
    close: async () => {
      await Promise.all([emailOut, rfm, classify, route, sla, snooze, campaigns].map((queue) => queue.close()));
      await closeAutomations();
    },
  };
}
