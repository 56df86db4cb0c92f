import type { Queryable } from '../db/database';
import type { DomainContext, HubEvent } from './context';
import { type Conversation, type ConversationRow, getConversation } from './conversations';
import { HubError } from './errors';
import { lockCustomer } from './locks';
import { QUEUE_ORDER, queuePositionEvents, WAITING } from './routingQueue';
import { chooseAgent, type TeamStrategy } from './routingStrategies';
import { refreshSla } from './sla';
import { appendTimelineEvent } from './timeline';

type Priority = Conversation['priority'];

/** What routing did with a conversation. */
export type RouteOutcome =
  | { outcome: 'assigned'; teamId: string; agentId: string }
  | { outcome: 'queued'; teamId: string }
  /** No team claims its intent and there is no default team: it stays unrouted. */
  | { outcome: 'no_team' }
  /** Finished, already assigned, or (when draining) no longer waiting in that team's queue. */
  | { outcome: 'kept' };

/** Sentiment below this (on -1..1) is an unhappy customer, served sooner. */
export const NEGATIVE_SENTIMENT = -0.3;

const RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };
const higher = (a: Priority, b: Priority) => (RANK[a] >= RANK[b] ? a : b);

type RoutingRow = Pick<
  ConversationRow,
  'id' | 'customer_id' | 'status' | 'priority' | 'intent' | 'language' | 'sentiment' | 'urgent' | 'team_id' | 'assignee_id' | 'assigned_by' | 'queued_at'
> & { vip: boolean };

const ROUTING_ROW = `
  SELECT cv.id, cv.customer_id, cv.status, cv.priority, cv.intent, cv.language, cv.sentiment, cv.urgent,
         cv.team_id, cv.assignee_id, cv.assigned_by, cv.queued_at,
         ('vip' = ANY(cu.tags) OR cu.attributes->'vip' = 'true'::jsonb) AS vip
    FROM conversations cv JOIN customers cu ON cu.id = cv.customer_id
   WHERE cv.id = $1`;

/**
 * Locks the customer, then the conversation: the order ingest and replies take, so routing never
 * deadlocks with a message arriving. A merge may move the conversation while we wait.
 */
async function lockConversation(tx: Queryable, conversationId: string): Promise<RoutingRow> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [seen] = await tx.query<RoutingRow>(ROUTING_ROW, [conversationId]);
    if (!seen) throw new HubError('conversation_not_found', `No conversation ${conversationId}`);
    await lockCustomer(tx, seen.customer_id);
    const [row] = await tx.query<RoutingRow>(`${ROUTING_ROW} FOR UPDATE OF cv`, [conversationId]);
    if (row && row.customer_id === seen.customer_id) return row;
  }
  throw new HubError('unavailable', 'The customer is being merged; try again');
}

/** VIPs and unhappy customers are served sooner, urgent ones first; a priority is never lowered. */
export function raisedPriority(signals: { priority: Priority; vip: boolean; sentiment: number | null; urgent: boolean }): Priority {
  let priority = signals.priority;
  if (signals.vip || (signals.sentiment !== null && signals.sentiment < NEGATIVE_SENTIMENT)) priority = higher(priority, 'high');
  if (signals.urgent) priority = higher(priority, 'urgent');
  return priority;
}

/**
 * The team that claims the intent, else the default team. Once an agent transferred the
 * conversation or it was assigned, its team stays: routing never overrides a person.
 */
async function chooseTeam(tx: Queryable, row: RoutingRow): Promise<string | null> {
  if (row.team_id && row.assigned_by !== null) return row.team_id;
  const [team] = await tx.query<{ id: string }>(
    `SELECT id FROM teams WHERE ($1::text IS NOT NULL AND $1 = ANY(intents)) OR is_default
      ORDER BY ($1::text IS NOT NULL AND $1 = ANY(intents)) DESC, id LIMIT 1`,
    [row.intent],
  );
  return team?.id ?? row.team_id;
}

type Decision = { outcome: RouteOutcome; events: HubEvent[]; priorityChanged: boolean };
type Routed = RoutingRow & { priority: Priority; at: Date };

/** Routes one locked conversation; `draining` limits it to conversations waiting in that team's queue. */
async function decide(tx: Queryable, ctx: DomainContext, conversationId: string, available: readonly string[], draining?: string): Promise<Decision> {
  const row = await lockConversation(tx, conversationId);
  const kept: Decision = { outcome: { outcome: 'kept' }, events: [], priorityChanged: false };
  if (row.status === 'resolved' || row.status === 'closed' || (row.assigned_by === 'agent' && row.assignee_id)) return kept;
  const isWaiting = row.assignee_id === null && row.queued_at !== null && row.team_id !== null;
  if (draining !== undefined && !(isWaiting && row.team_id === draining)) return kept;
  const routed: Routed = { ...row, priority: raisedPriority(row), at: ctx.now() };
  const priorityChanged = routed.priority !== row.priority;
  const decided = (outcome: RouteOutcome, events: HubEvent[]): Decision => ({ outcome, events, priorityChanged });

  // An agent already has it (the router gave it to them): only its priority may rise.
  const teamId = row.assignee_id ? null : draining ?? (await chooseTeam(tx, row));
  if (!teamId) {
    const outcome: RouteOutcome = row.assignee_id ? { outcome: 'kept' } : { outcome: 'no_team' };
    if (!priorityChanged) return decided(outcome, []);
    await tx.query('UPDATE conversations SET priority = $2, updated_at = $3 WHERE id = $1', [row.id, routed.priority, routed.at]);
    return decided(outcome, [{ type: 'conversation:updated', conversation: await getConversation(tx, row.id) }]);
  }
  const agentId = await freeAgentOf(tx, teamId, row, available);
  if (agentId) return decided({ outcome: 'assigned', teamId, agentId }, await assign(tx, routed, teamId, agentId));
  // Draining stops at the first conversation no agent can take; it waits as it was.
  if (draining !== undefined && !priorityChanged) return decided({ outcome: 'queued', teamId }, []);
  return decided({ outcome: 'queued', teamId }, await enqueue(tx, routed, teamId));
}

async function freeAgentOf(tx: Queryable, teamId: string, row: RoutingRow, available: readonly string[]): Promise<string | undefined> {
  const [team] = await tx.query<{ strategy: TeamStrategy; last_assigned_agent_id: string | null }>(
    // Serializes round robin within the team; NO KEY UPDATE leaves foreign-key checks on the team unblocked.
    'SELECT strategy, last_assigned_agent_id FROM teams WHERE id = $1 FOR NO KEY UPDATE',
    [teamId],
  );
  return team && chooseAgent(tx, { teamId, ...team, intent: row.intent, language: row.language }, available);
}

async function assign(tx: Queryable, routed: Routed, teamId: string, agentId: string): Promise<HubEvent[]> {
  await tx.query(
    `UPDATE conversations SET assignee_id = $2, assigned_by = 'router', assigned_at = $3, team_id = $4, queued_at = NULL,
            priority = $5, updated_at = $3
      WHERE id = $1`,
    [routed.id, agentId, routed.at, teamId, routed.priority],
  );
  await tx.query('UPDATE teams SET last_assigned_agent_id = $2 WHERE id = $1', [teamId, agentId]);
  await appendTimelineEvent(tx, {
    customerId: routed.customer_id,
    at: routed.at,
    kind: 'conversation.assigned',
    reference: routed.id,
    data: { conversationId: routed.id, from: null, to: agentId, by: null, teamId },
  });
  const conversation = await getConversation(tx, routed.id);
  return [
    { type: 'conversation:updated', conversation },
    { type: 'conversation:assigned', conversation, agentId },
  ];
}

/** No agent is free: it waits in the team's queue (keeping the time it began waiting). */
async function enqueue(tx: Queryable, routed: Routed, teamId: string): Promise<HubEvent[]> {
  await tx.query('UPDATE conversations SET team_id = $2, queued_at = COALESCE(queued_at, $3), priority = $4, updated_at = $3 WHERE id = $1', [
    routed.id,
    teamId,
    routed.at,
    routed.priority,
  ]);
  // A conversation ahead of others (urgent, VIP) moves everyone behind it one place back.
  return [{ type: 'conversation:updated', conversation: await getConversation(tx, routed.id) }, ...(await queuePositionEvents(tx, teamId))];
}

async function routeOnce(ctx: DomainContext, conversationId: string, available: readonly string[], draining?: string): Promise<RouteOutcome> {
  const decision = await ctx.db.transaction((tx) => decide(tx, ctx, conversationId, available, draining));
  ctx.publish(decision.events);
  if (decision.priorityChanged) await refreshSla(ctx, conversationId);
  return decision.outcome;
}

/**
 * Finds the conversation its team and, among `availableAgentIds` (online and available), a free
 * agent of that team; when none is free it waits in the team's queue. Manual assignments stay.
 */
export function routeConversation(ctx: DomainContext, conversationId: string, availableAgentIds: readonly string[]): Promise<RouteOutcome> {
  return routeOnce(ctx, conversationId, availableAgentIds);
}

/** How many waiting conversations one drain reads at a time. */
const DRAIN_BATCH = 50;

/**
 * Gives the team's waiting conversations, most pressing and then oldest first, to its free
 * agents until none is free, then tells the ones still waiting their place. Returns how many it assigned.
 */
export async function drainTeamQueue(ctx: DomainContext, teamId: string, availableAgentIds: readonly string[]): Promise<number> {
  let assigned = 0;
  let full = false;
  while (!full) {
    const waiting = await ctx.db.query<{ id: string }>(`SELECT id FROM conversations WHERE team_id = $1 AND ${WAITING} ORDER BY ${QUEUE_ORDER} LIMIT $2`, [
      teamId,
      DRAIN_BATCH,
    ]);
    let progressed = false;
    for (const { id } of waiting) {
      const outcome = await routeOnce(ctx, id, availableAgentIds, teamId);
      if (outcome.outcome === 'queued') {
        full = true;
        break;
      }
      if (outcome.outcome === 'assigned') {
        assigned++;
        progressed = true;
      }
    }
    // Every conversation read was taken by someone else meanwhile, or the queue is empty.
    if (!progressed) break;
  }
  ctx.publish(await queuePositionEvents(ctx.db, teamId));
  return assigned;
}

/**
 * The agent went offline: the conversations the router gave them that nobody has answered yet
 * wait in their team's queue again, and those teams are drained. Manual assignments stay.
 */
export async function handBackConversations(ctx: DomainContext, agentId: string): Promise<string[]> {
  const candidates = await ctx.db.query<{ id: string }>(`SELECT id FROM conversations WHERE ${HANDED_BACK} ORDER BY id`, [agentId]);
  const handedBack: string[] = [];
  const teams = new Set<string>();
  for (const { id } of candidates) {
    const events = await ctx.db.transaction(async (tx) => {
      const row = await lockConversation(tx, id);
      const [still] = await tx.query(`SELECT 1 FROM conversations WHERE id = $2 AND ${HANDED_BACK}`, [agentId, id]);
      if (!still) return [];
      const at = ctx.now();
      await tx.query('UPDATE conversations SET assignee_id = NULL, assigned_at = NULL, queued_at = $2, updated_at = $2 WHERE id = $1', [id, at]);
      await appendTimelineEvent(tx, {
        customerId: row.customer_id,
        at,
        kind: 'conversation.assigned',
        reference: id,
        data: { conversationId: id, from: agentId, to: null, by: null, teamId: row.team_id, reason: 'agent offline' },
      });
      if (row.team_id) teams.add(row.team_id);
      handedBack.push(id);
      return [{ type: 'conversation:updated', conversation: await getConversation(tx, id) }] satisfies HubEvent[];
    });
    ctx.publish(events);
  }
  for (const teamId of teams) await ctx.queues.drainTeamQueue(teamId);
  return handedBack;
}

/** Conversations the router gave this agent ($1) that no one has answered yet. */
const HANDED_BACK = `assignee_id = $1 AND assigned_by = 'router' AND first_response_at IS NULL AND status IN ('open', 'pending') AND team_id IS NOT NULL`;
