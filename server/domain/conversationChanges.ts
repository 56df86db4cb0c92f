import { z } from 'zod';
import type { DomainContext } from './context';
import { type Conversation, conversationStatuses, getConversation } from './conversations';
import { HubError } from './errors';
import { lockCustomer } from './locks';
import { appendTimelineEvent } from './timeline';

export const conversationChangeSchema = z
  .object({
    status: z.enum(conversationStatuses).optional(),
    assigneeId: z.string().min(1).max(100).nullable().optional().describe('An agent id, or null to unassign'),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'give a status, assigneeId or priority');
export type ConversationChange = z.infer<typeof conversationChangeSchema>;

const isFinished = (status: Conversation['status']) => status === 'resolved' || status === 'closed';

/**
 * An agent assigns, resolves, reopens or reprioritises a conversation; each change that matters to
 * the customer's story (assigned, resolved, reopened) is written to their timeline.
 */
export async function changeConversation(
  ctx: DomainContext,
  change: ConversationChange & { conversationId: string; agentId: string | null },
): Promise<Conversation> {
  const at = ctx.now();
  const updated = await ctx.db.transaction(async (tx) => {
    const before = await getConversation(tx, change.conversationId);
    await lockCustomer(tx, before.customerId);
    if (change.assigneeId) {
      const [agent] = await tx.query('SELECT id FROM agents WHERE id = $1', [change.assigneeId]);
      if (!agent) throw new HubError('validation_failed', `assigneeId: no agent ${change.assigneeId}`);
    }
    const status = change.status ?? before.status;
    const assigneeId = change.assigneeId === undefined ? before.assigneeId : change.assigneeId;
    await tx.query(
      `UPDATE conversations
          SET status = $2, assignee_id = $3, priority = $4, updated_at = $5,
              resolved_at = CASE WHEN $2 IN ('resolved', 'closed') THEN COALESCE(resolved_at, $5) ELSE NULL END
        WHERE id = $1`,
      [before.id, status, assigneeId, change.priority ?? before.priority, at],
    );
    const record = (kind: string, data: Record<string, unknown>) =>
      appendTimelineEvent(tx, { customerId: before.customerId, at, kind, reference: before.id, data: { conversationId: before.id, by: change.agentId, ...data } });
    if (assigneeId !== before.assigneeId) await record('conversation.assigned', { from: before.assigneeId, to: assigneeId });
    if (!isFinished(before.status) && isFinished(status)) await record('conversation.resolved', { status });
    if (isFinished(before.status) && !isFinished(status)) await record('conversation.reopened', { status });
    return getConversation(tx, before.id);
  });
  ctx.publish([{ type: 'conversation:updated', conversation: updated }]);
  return updated;
}
