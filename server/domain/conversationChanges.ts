import { z } from 'zod';
import type { Queryable } from '../db/database';
import { conversationResolved } from './automationTriggers';
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
    tags: z
      .array(z.string().trim().min(1).max(50))
      .max(20)
      .transform((tags) => [...new Set(tags)])
      .optional()
      .describe('Replaces the tags (each trimmed, 1-50 characters, at most 20)'),
    snoozedUntil: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .describe('A future time: pending (snoozed) until then, when it opens again, or sooner when the customer writes; null ends the snooze'),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'give a status, assigneeId, priority, teamId, tags or snoozedUntil');
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

/**
 * The status and snooze the change leaves: snoozing makes it pending until then; ending a snooze
 * by hand opens it; any other status ends the snooze.
 */
function planSnooze(before: Conversation, change: ConversationChange, at: Date): { status: Conversation['status']; snoozedUntil: Date | null } {
  if (change.snoozedUntil) {
    const until = new Date(change.snoozedUntil);
    if (until <= at) throw new HubError('validation_failed', 'snoozedUntil: give a time in the future');
    if (change.status && change.status !== 'pending') throw new HubError('validation_failed', 'snoozedUntil: a snoozed conversation is pending');
    return { status: 'pending', snoozedUntil: until };
  }
  if (change.snoozedUntil === null) return { status: change.status ?? (before.snoozedUntil ? 'open' : before.status), snoozedUntil: null };
  const status = change.status ?? before.status;
  return { status, snoozedUntil: status === 'pending' && before.snoozedUntil ? new Date(before.snoozedUntil) : null };
}

/** Where the change leaves assignment and queue: what the agent said always wins over routing. */
function plan(before: Conversation, change: ConversationChange, at: Date) {
  const { status, snoozedUntil } = planSnooze(before, change, at);
  const teamId = change.teamId ?? before.teamId;
  const transferred = teamId !== before.teamId;
  const assigneeId = change.assigneeId !== undefined ? change.assigneeId : transferred ? null : before.assigneeId;
  const reassigned = assigneeId !== before.assigneeId;
  const waits = !isFinished(status) && assigneeId === null && teamId !== null;
  return {
    status,
    snoozedUntil,
    tags: change.tags ?? before.tags,
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
 * An agent assigns, transfers, resolves, reopens, reprioritises, tags or snoozes a conversation; each change
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
              resolved_at = CASE WHEN $2 IN ('resolved', 'closed') THEN COALESCE(resolved_at, $5) ELSE NULL END,
              tags = $10, snoozed_until = $11
        WHERE id = $1`,
      [before.id, next.status, next.assigneeId, next.priority, at, next.teamId, next.assignedBy, next.queuedAt, next.reassigned, next.tags, next.snoozedUntil],
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
  if (next.snoozedUntil && after.snoozedUntil !== before.snoozedUntil) await ctx.queues.wakeSnoozed(after.id, next.snoozedUntil);
  await serveQueues(ctx, before, after);
  if (after.priority !== before.priority) await refreshSla(ctx, after.id);
  if (!isFinished(before.status) && isFinished(after.status)) await conversationResolved(ctx, after);
  return after;
}

/** An agent who let go of a conversation may take a waiting one; a queue that changed is served. */
export async function serveQueues(ctx: DomainContext, before: Conversation, after: Conversation): Promise<void> {
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

/**
 * A snooze's time came (its delayed job): the conversation opens again and the consoles are told.
 * `stale` when it is no longer snoozed until then (ended early, or snoozed again to another time).
 */
export async function wakeSnoozed(ctx: DomainContext, conversationId: string, until: Date): Promise<'woken' | 'stale' | 'not_due'> {
  const at = ctx.now();
  const woken = await ctx.db.transaction(async (tx) => {
    const before = await lockedConversation(tx, conversationId);
    if (before.snoozedUntil !== until.toISOString()) return 'stale';
    if (at < until) return 'not_due';
    await tx.query("UPDATE conversations SET snoozed_until = NULL, status = 'open', updated_at = $2 WHERE id = $1", [conversationId, at]);
    return getConversation(tx, conversationId);
  });
  if (typeof woken === 'string') return woken;
  ctx.publish([{ type: 'conversation:updated', conversation: woken }]);
  return 'woken';
}
