import { z } from 'zod';
import type { DomainContext } from './context';
import { getConversation } from './conversations';
import { HubError } from './errors';
import { idSchema } from './messageInput';
import { parseInput } from './parseInput';
import { appendTimelineEvent } from './timeline';

export const csatInput = z.object({
  conversationId: idSchema,
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(1000).optional(),
});

export type CsatRating = { conversationId: string; customerId: string; rating: number; comment: string | null; createdAt: string };

/**
 * The customer rates how their conversation went, once it is resolved or closed; one rating per
 * conversation, recorded on their timeline.
 */
export async function rateConversation(ctx: DomainContext, customerId: string, input: unknown): Promise<CsatRating> {
  const { conversationId, rating, comment } = parseInput(csatInput, input);
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const conversation = await getConversation(tx, conversationId).catch(() => undefined);
    // Someone else's conversation answers exactly like a missing one.
    if (!conversation || conversation.customerId !== customerId) throw new HubError('conversation_not_found', `No conversation ${conversationId}`);
    if (conversation.status !== 'resolved' && conversation.status !== 'closed') {
      throw new HubError('conversation_not_resolved', 'A conversation is rated once it is resolved');
    }
    const [row] = await tx.query<{ created_at: Date }>(
      `INSERT INTO csat_ratings (conversation_id, customer_id, rating, comment, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (conversation_id) DO NOTHING RETURNING created_at`,
      [conversationId, customerId, rating, comment || null, at],
    );
    if (!row) throw new HubError('csat_already_given', 'This conversation was already rated');
    await appendTimelineEvent(tx, {
      customerId,
      at,
      kind: 'conversation.rated',
      reference: conversationId,
      data: { conversationId, rating, comment: comment || null },
    });
    return { conversationId, customerId, rating, comment: comment || null, createdAt: row.created_at.toISOString() };
  });
}
