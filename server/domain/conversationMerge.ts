import type { Queryable } from '../db/database';
import type { DomainContext } from './context';
import { serveQueues } from './conversationChanges';
import { type Conversation, getConversation, recomputeWaitingSince } from './conversations';
import { HubError } from './errors';
import { lockCustomer } from './locks';
import { appendTimelineEvent } from './timeline';

// Timeline events about a message or note name its conversation; they follow it into the target.
const FOLLOWING_KINDS = ['message.received', 'message.sent', 'message.delivery_failed', 'note.added'];

/**
 * Merges a duplicate conversation of the same customer into `targetId`: its messages, notes and
 * the timeline events that name them move there, and the source is closed, pointing at the
 * target. Conversations of two customers cannot merge (merge the customers first).
 */
export async function mergeConversations(
  ctx: DomainContext,
  merge: { targetId: string; sourceId: string; agentId: string | null },
): Promise<Conversation> {
  if (merge.targetId === merge.sourceId) throw new HubError('merge_conflict', 'A conversation cannot be merged into itself');
  const at = ctx.now();
  const { source, target, before } = await ctx.db.transaction(async (tx) => {
    const { target, source } = await lockPair(tx, merge.targetId, merge.sourceId);
    const moved = await tx.query<{ id: string }>('UPDATE messages SET conversation_id = $1 WHERE conversation_id = $2 RETURNING id', [target.id, source.id]);
    await tx.query('UPDATE notes SET conversation_id = $1 WHERE conversation_id = $2', [target.id, source.id]);
    await tx.query(
      `UPDATE timeline_events SET data = jsonb_set(data, '{conversationId}', to_jsonb($1::text))
        WHERE customer_id = $3 AND kind = ANY($4::text[]) AND data->>'conversationId' = $2`,
      [target.id, source.id, target.customerId, FOLLOWING_KINDS],
    );
    await tx.query(
      `UPDATE conversations
          SET last_message_at = GREATEST(last_message_at, $2), updated_at = $3,
              tags = ARRAY(SELECT DISTINCT unnest(tags || $4::text[]))
        WHERE id = $1`,
      [target.id, source.lastMessageAt, at, source.tags],
    );
    await recomputeWaitingSince(tx, target.id);
    // Closed like a resolved one, so it leaves its team's queue and its agent's load.
    await tx.query(
      `UPDATE conversations
          SET status = 'closed', merged_into_id = $2, resolved_at = COALESCE(resolved_at, $3), updated_at = $3,
              snoozed_until = NULL, queued_at = NULL, waiting_since = NULL
        WHERE id = $1`,
      [source.id, target.id, at],
    );
    await appendTimelineEvent(tx, {
      customerId: target.customerId,
      at,
      kind: 'conversation.merged',
      reference: target.id,
      data: { conversationId: target.id, sourceId: source.id, by: merge.agentId, movedMessages: moved.length },
    });
    return { before: source, source: await getConversation(tx, source.id), target: await getConversation(tx, target.id) };
  });
  ctx.publish([
    { type: 'conversation:updated', conversation: source },
    { type: 'conversation:updated', conversation: target },
  ]);
  await serveQueues(ctx, before, source);
  return target;
}

/** Both conversations, under their customer's lock (the order every customer write takes). */
async function lockPair(tx: Queryable, targetId: string, sourceId: string): Promise<{ target: Conversation; source: Conversation }> {
  const seen = await getConversation(tx, targetId);
  await lockCustomer(tx, seen.customerId);
  const target = await getConversation(tx, targetId);
  const source = await getConversation(tx, sourceId);
  if (target.customerId !== seen.customerId) throw new HubError('unavailable', 'The customer is being merged; try again');
  if (source.customerId !== target.customerId) {
    throw new HubError('merge_conflict', `${sourceId} belongs to another customer; merge the customers first`, {
      customerIds: [target.customerId, source.customerId],
    });
  }
  if (source.mergedIntoId) throw new HubError('merge_conflict', `${sourceId} was already merged into ${source.mergedIntoId}`);
  if (target.mergedIntoId) throw new HubError('merge_conflict', `${targetId} was merged into ${target.mergedIntoId}; merge into that one`);
  return { target, source };
}
