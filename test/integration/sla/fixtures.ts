import { randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { Socket } from 'socket.io-client';
import { createAgent } from '../../../server/domain/agents';
import type { SlaCheck } from '../../../server/domain/context';
import { newId } from '../../../server/domain/ids';
import { bullPrefix, QUEUE_NAMES } from '../../../server/queues';
import { TEST_REDIS_URL } from '../../support/postgres';
import type { SignedInHub } from '../../support/signedInHub';
import { connectAgent, connectVisitor, login } from '../../support/sockets';

/** The hub's 'sla' queue as a test sees it: its jobs and their outcomes. */
export type SlaQueue = {
  queue: Queue;
  events: QueueEvents;
  /** What the worker's run of the check job returned (waits for it). */
  outcome: (check: SlaCheck) => Promise<unknown>;
  close: () => Promise<void>;
};

/** The job id the hub schedules a check under (server/queues.ts). */
export const slaJobId = (check: SlaCheck) => `sla-${check.conversationId}-${check.target}-${check.stage}-${Date.parse(check.dueAt)}`;

export async function openSlaQueue(hub: SignedInHub, name: string = QUEUE_NAMES.sla): Promise<SlaQueue> {
  const options = { connection: { url: TEST_REDIS_URL }, prefix: bullPrefix(hub.config.redisPrefix) };
  const queue = new Queue(name, options);
  const events = new QueueEvents(name, options);
  await events.waitUntilReady();
  return {
    queue,
    events,
    outcome: async (check) => {
      const job = await Job.fromId(queue, slaJobId(check));
      if (!job) throw new Error(`no job ${slaJobId(check)}`);
      return job.waitUntilFinished(events, 15_000);
    },
    close: async () => {
      await events.close();
      await queue.close();
    },
  };
}

/** The default team (so routing, when it runs, keeps conversations in it), with a supervisor whose console is connected. */
export async function supervisedTeam(hub: SignedInHub): Promise<{ teamId: string; supervisorId: string; console: Socket }> {
  const password = 'supervisor-password';
  const supervisor = await createAgent(hub.db, { email: `sup-${randomUUID()}@example.com`, name: 'Sam Supervisor', password });
  const teamId = newId('team');
  await hub.db.query('INSERT INTO teams (id, name, is_default) VALUES ($1, $2, true)', [teamId, `Support ${teamId}`]);
  await hub.db.query("INSERT INTO team_members (team_id, agent_id, role) VALUES ($1, $2, 'supervisor')", [teamId, supervisor.id]);
  const { token } = await login(hub.url, { email: supervisor.email, password });
  return { teamId, supervisorId: supervisor.id, console: await connectAgent(hub.url, token) };
}

/** A visitor's first chat message, which opens a conversation; put in `teamId` when given. */
export async function openChat(hub: SignedInHub, teamId?: string): Promise<{ conversationId: string; customerId: string }> {
  const { socket, session } = await connectVisitor(hub.url);
  const ack = await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'Hello' });
  const conversationId = ack.message.conversationId as string;
  if (teamId) await hub.db.query('UPDATE conversations SET team_id = $2 WHERE id = $1', [conversationId, teamId]);
  return { conversationId, customerId: session.customerId };
}

/** The conversation's SLA events on its customer's timeline, oldest first. */
export async function slaTimeline(hub: SignedInHub, customerId: string): Promise<{ kind: string; data: Record<string, unknown> }[]> {
  const response = await hub.get(`/api/customers/${customerId}/timeline?kind=sla&order=oldest`).expect(200);
  return response.body.items.map(({ kind, data }: { kind: string; data: Record<string, unknown> }) => ({ kind, data }));
}
