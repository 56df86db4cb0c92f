import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { Queryable } from '../../../server/db/database';
import type { Conversation } from '../../../server/domain/conversations';
import { newId } from '../../../server/domain/ids';
import type { SignedInHub } from '../../support/signedInHub';
import { connectAgent, login, nextEvent } from '../../support/sockets';

export const WAIT_MS = 10_000;

const unique = () => randomUUID().slice(0, 8);

export type TestAgent = { id: string; token: string };

/** A new agent, created by the admin through the API, signed in (not connected). */
export async function newAgent(hub: SignedInHub, fields: { capacity?: number; skills?: string[] } = {}): Promise<TestAgent> {
  const email = `agent-${unique()}@example.com`;
  const created = await hub.post('/api/agents', { email, name: `Agent ${email}`, password: 'agent-password-1', ...fields });
  if (created.status !== 201) throw new Error(`POST /api/agents: ${created.status} ${created.text}`);
  const { token } = await login(hub.url, { email, password: 'agent-password-1' });
  return { id: created.body.id, token };
}

/** A new agent with a console connected: online and available. */
export async function onlineAgent(hub: SignedInHub, fields: { capacity?: number; skills?: string[] } = {}): Promise<TestAgent & { console: Socket }> {
  const agent = await newAgent(hub, fields);
  return { ...agent, console: await connectAgent(hub.url, agent.token) };
}

/** A new team with these members, created by the admin through the API. */
export async function newTeam(hub: SignedInHub, fields: Record<string, unknown>, members: { id: string }[]): Promise<{ id: string }> {
  const team = await hub.post('/api/teams', { name: `Team ${unique()}`, ...fields });
  if (team.status !== 201) throw new Error(`POST /api/teams: ${team.status} ${team.text}`);
  const set = await hub.put(`/api/teams/${team.body.id}/members`, { members: members.map((member) => ({ agentId: member.id, role: 'member' })) });
  if (set.status !== 200) throw new Error(`PUT members: ${set.status} ${set.text}`);
  return team.body;
}

export type Signals = Partial<{ intent: string; language: string; sentiment: number; urgent: boolean; priority: Conversation['priority'] }>;

/** A customer (with these tags and attributes) and no conversation yet. */
export async function newCustomer(db: Queryable, profile: { tags?: string[]; attributes?: Record<string, unknown> } = {}): Promise<string> {
  const id = newId('cus');
  await db.query('INSERT INTO customers (id, tags, attributes) VALUES ($1, $2, $3)', [id, profile.tags ?? [], JSON.stringify(profile.attributes ?? {})]);
  return id;
}

/**
 * An open chat conversation of the customer as classification would leave it, written directly so
 * the tests do not depend on the classifier.
 */
export async function newConversation(db: Queryable, customerId: string, signals: Signals = {}): Promise<string> {
  const id = newId('cnv');
  await db.query(
    `INSERT INTO conversations (id, customer_id, channel, priority, intent, language, sentiment, urgent, last_message_at)
     VALUES ($1, $2, 'chat', $3, $4, $5, $6, $7, now())`,
    [id, customerId, signals.priority ?? 'normal', signals.intent ?? null, signals.language ?? null, signals.sentiment ?? null, signals.urgent ?? false],
  );
  return id;
}

/** A conversation as the database holds it now. */
export async function conversationRow(db: Queryable, conversationId: string) {
  const [row] = await db.query<{
    team_id: string | null;
    assignee_id: string | null;
    assigned_by: string | null;
    queued_at: Date | null;
    priority: string;
    first_response_due_at: Date | null;
  }>('SELECT team_id, assignee_id, assigned_by, queued_at, priority, first_response_due_at FROM conversations WHERE id = $1', [conversationId]);
  return row!;
}

/**
 * Enqueues routing as classification does and waits until the router assigned or queued the
 * conversation (an admin console hears every conversation:updated).
 */
export async function routeAndWait(hub: SignedInHub, watcher: Socket, conversationId: string): Promise<Conversation> {
  const decided = nextEvent<Conversation>(watcher, 'conversation:updated', (c) => c.id === conversationId && (c.assigneeId !== null || c.queuedAt !== null), WAIT_MS);
  await hub.domain.queues.route(conversationId);
  return decided;
}
