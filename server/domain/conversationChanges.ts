import { z } from 'zod';
import type { Queryable } from '../db/database';
import type { DomainContext, HubEvent } from './context';
import { type Conversation, conversationStatuses, getConversation } from './conversations';
import { HubError } from './errors';
import { lockCustomer } from './locks';
import { refreshSla } from './sla';
import { teamsOfAgent } from './teams';
import { appendTimelineEvent } from './timeline';

export const conversationChangeSchema = z
  .object({
    status: z.enum(conversationStatuses).optional(),
    assigneeId: z.string().min(1).max(100).nullable().optional().describe('An agent id, or null to unassign (it waits in its team\'s queue again)'),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    teamId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe("Transfer to this team: unless assigneeId is also given, it waits in the team's queue for a free agent"),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'give a status, assigneeId, priority or teamId');
export type ConversationChange = z.infer<typeof conversationChangeSchema>;

const isFinished = (status: Conversation['status']) => status === 'resolved' || status === 'closed';

/** Locks the customer (the order every customer write takes), then reads the conversation as it is now. */
async function lockedConversation(tx: Queryable, conversationId: string): Promise<Conversation> {
  const seen = await getConversation(tx, conversationId);
  await lockCustomer(tx, seen.customerId);
  const now = await getConversation(tx, conversationId);
  if (now.customerId !== seen.customerId) throw new HubError('unavailable', 'The customer is being merged; try again');
  return now;
}

async function mustExist(tx: Queryable, table: 'agents' | 'teams', id: string, field: string): Promise<void> {
  const [row] = await tx.query(`SELECT id FROM ${table} WHERE id = $1`, [id]);
  if (!row) throw new HubError('validation_failed', `${field}: no ${table === 'agents' ? 'agent' : 'team'} ${id}`);
}

/** Where the change leaves assignment and queue: what the agent said always wins over routing. */
function plan(before: Conversation, change: ConversationChange, at: Date) {
  const status = change.status ?? before.status;
  const teamId = change.teamId ?? before.teamId;
  const transferred = teamId !== before.teamId;
  const assigneeId = change.assigneeId !== undefined ? change.assigneeId : transferred ? null : before.assigneeId;
  const reassigned = assigneeId !== before.assigneeId;
  const waits = !isFinished(status) && assigneeId === null && teamId !== null;
  return {
    status,
    teamId,
    transferred,
    assigneeId,
    reassigned,
    priority: change.priority ?? before.priority,
    // Naming the assignee (even the current one, or nobody) or the team is a person's decision.
    assignedBy: change.assigneeId !== undefined || transferred ? ('agent' as const) : before.assignedBy,
    // A transfer starts the wait in the new team's queue; anything else keeps the wait so far.
    queuedAt: waits ? (transferred ? at : before.queuedAt ? new Date(before.queuedAt) : at) : null,
  };
}

/**
 * An agent assigns, transfers, resolves, reopens or reprioritises a conversation; each change
 * that matters to the customer's story (assigned, resolved, reopened) is written to their
 * timeline. Routing never overrides what an agent decided; an agent who freed up, or a team whose
 * queue changed, is served at once.
 */
export async function changeConversation(
  ctx: DomainContext,
  change: ConversationChange & { conversationId: string; agentId: string | null },
): Promise<Conversation> {
  const at = ctx.now();
  const { before, after, next } = await ctx.db.transaction(async (tx) => {
    const before = await lockedConversation(tx, change.conversationId);
    if (change.assigneeId) await mustExist(tx, 'agents', change.assigneeId, 'assigneeId');
    if (change.teamId) await mustExist(tx, 'teams', change.teamId, 'teamId');
    const next = plan(before, change, at);
    await tx.query(
      `UPDATE conversations
          SET status = $2, assignee_id = $3, priority = $4, updated_at = $5, team_id = $6, assigned_by = $7, queued_at = $8,
              assigned_at = CASE WHEN $9::boolean THEN (CASE WHEN $3::text IS NULL THEN NULL ELSE $5::timestamptz END) ELSE assigned_at END,
              resolved_at = CASE WHEN $2 IN ('resolved', 'closed') THEN COALESCE(resolved_at, $5) ELSE NULL END
        WHERE id = $1`,
      [before.id, next.status, next.assigneeId, next.priority, at, next.teamId, next.assignedBy, next.queuedAt, next.reassigned],
    );
    const record = (kind: string, data: Record<string, unknown>) =>
      appendTimelineEvent(tx, { customerId: before.customerId, at, kind, reference: before.id, data: { conversationId: before.id, by: change.agentId, ...data } });
    if (next.reassigned || next.transferred) await record('conversation.assigned', { from: before.assigneeId, to: next.assigneeId, teamId: next.teamId });
    if (!isFinished(before.status) && isFinished(next.status)) await record('conversation.resolved', { status: next.status });
    if (isFinished(before.status) && !isFinished(next.status)) await record('conversation.reopened', { status: next.status });
    return { before, after: await getConversation(tx, before.id), next };
  });
  const events: HubEvent[] = [{ type: 'conversation:updated', conversation: after }];
  if (next.reassigned && after.assigneeId) events.push({ type: 'conversation:assigned', conversation: after, agentId: after.assigneeId });
  ctx.publish(events);
  await serveQueues(ctx, before, after);
  if (after.priority !== before.priority) await refreshSla(ctx, after.id);
  return after;
}

/** An agent who let go of a conversation may take a waiting one; a queue that changed is served. */
async function serveQueues(ctx: DomainContext, before: Conversation, after: Conversation): Promise<void> {
  const teams = new Set<string>();
  const held = (conversation: Conversation) => (isFinished(conversation.status) ? null : conversation.assigneeId);
  const freed = held(before);
  if (freed && held(after) !== freed) for (const teamId of await teamsOfAgent(ctx.db, freed)) teams.add(teamId);
  // A queue the conversation joined, left or moved in: served, and its customers told their places.
  const queueChanged = after.queuedAt !== before.queuedAt || after.teamId !== before.teamId || after.priority !== before.priority;
  if (queueChanged && before.queuedAt && before.teamId) teams.add(before.teamId);
  if (queueChanged && after.queuedAt && after.teamId) teams.add(after.teamId);
  for (const teamId of teams) await ctx.queues.drainTeamQueue(teamId);
}
