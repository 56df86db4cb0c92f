import type { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { connectPostgres } from '../../server/db/postgres';
import type { DomainContext, HubEvent } from '../../server/domain/context';
import { DEFAULT_SLA_SETTINGS } from '../../server/slaConfig';
import { createTestDatabase } from './postgres';

/** A migrated database on one backend, and how to throw it away. */
export type OpenedBackend = { db: Database; close: () => Promise<void> };

/** PGlite cold-starts in seconds: open each backend once per file, in a beforeAll with this timeout. */
export const OPEN_BACKEND_TIMEOUT = 30_000;

async function openPostgres(): Promise<OpenedBackend> {
  const database = await createTestDatabase();
  const db = connectPostgres(database.url);
  await migrate(db);
  return {
    db,
    close: async () => {
      await db.close();
      await database.drop();
    },
  };
}

async function openEmbedded(): Promise<OpenedBackend> {
  const db = await openPglite(undefined);
  await migrate(db);
  return { db, close: () => db.close() };
}

/** For `describe.each`: the domain must behave the same on the server and on the embedded database. */
export const backends: [name: string, open: () => Promise<OpenedBackend>][] = [
  ['PostgreSQL', openPostgres],
  ['PGlite', openEmbedded],
];

/**
 * A real domain context over `db` that records what it would push to sockets and enqueue.
 * `log` interleaves 'commit' (a transaction of the domain committed) with 'publish', so a test
 * can tell that events leave only after their transaction committed. The clock moves one second
 * per reading, so "later" is never a tie.
 */
export function recordingContext(db: Database) {
  const published: HubEvent[] = [];
  const enqueued: string[] = [];
  const log: ('commit' | 'publish')[] = [];
  let ticks = 0;
  const start = Date.now();
  const ctx: DomainContext = {
    db: {
      ...db,
      transaction: async (work) => {
        const result = await db.transaction(work);
        log.push('commit');
        return result;
      },
    },
    publish: (events) => {
      log.push('publish');
      published.push(...events);
    },
    queues: {
      emailOut: async (messageId) => {
        enqueued.push(messageId);
      },
      recomputeRfm: async () => {
        enqueued.push('rfm');
      },
      classify: async (messageId) => {
        enqueued.push(`classify:${messageId}`);
      },
      route: async (conversationId) => {
        enqueued.push(`route:${conversationId}`);
      },
      drainTeamQueue: async (teamId) => {
        enqueued.push(`drain:${teamId}`);
      },
      agentWentOffline: async (agentId) => {
        enqueued.push(`offline:${agentId}`);
      },
      checkSla: async (check) => {
        enqueued.push(`sla:${check.conversationId}:${check.target}:${check.stage}`);
      },
      wakeSnoozed: async (conversationId, until) => {
        enqueued.push(`snooze:${conversationId}:${until.toISOString()}`);
      },
      campaigns: {
        start: async (campaignId) => void enqueued.push(`campaign-start:${campaignId}`),
        enqueueSends: async (campaignId, recipientIds) => void enqueued.push(`campaign-sends:${campaignId}:${recipientIds.length}`),
        setRate: async (campaignId, perSecond) => void enqueued.push(`campaign-rate:${campaignId}:${perSecond}`),
        pause: async (campaignId) => void enqueued.push(`campaign-pause:${campaignId}`),
        resume: async (campaignId) => void enqueued.push(`campaign-resume:${campaignId}`),
        stop: async (campaignId) => void enqueued.push(`campaign-stop:${campaignId}`),
        statsChanged: async (campaignId) => void enqueued.push(`campaign-stats:${campaignId}`),
      },
      automations: {
        trigger: async (event) => void enqueued.push(`automation-trigger:${event.type}:${event.occurrence}`),
        step: async (enrollmentId, step) => void enqueued.push(`automation-step:${enrollmentId}:${step}`),
      },
    },
    now: () => new Date(start + 1000 * ++ticks),
    settings: { messageMaxLength: 10_000, attributeMaxBytes: 4096, defaultPhoneRegion: undefined, sla: DEFAULT_SLA_SETTINGS },
  };
  const reset = () => {
    published.length = 0;
    enqueued.length = 0;
    log.length = 0;
  };
  return { ctx, published, enqueued, log, reset };
}

const COUNTED_TABLES = ['customers', 'customer_identities', 'conversations', 'messages', 'timeline_events'] as const;

/** Row counts of the tables a message write touches, to prove a refused write stored nothing. */
export async function countRows(db: Database): Promise<Record<(typeof COUNTED_TABLES)[number], number>> {
  const entries = await Promise.all(
    COUNTED_TABLES.map(async (table) => {
      const [row] = await db.query<{ count: number }>(`SELECT count(*) AS count FROM ${table}`);
      return [table, row!.count] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<(typeof COUNTED_TABLES)[number], number>;
}
