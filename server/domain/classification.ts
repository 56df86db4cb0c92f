import { z } from 'zod';
import type { DomainContext } from './context';
import { type Conversation, getConversation } from './conversations';
import { newId } from './ids';
import { type Intent, intents, UNKNOWN_INTENT } from './intents';
import { lockCustomer } from './locks';
import { appendTimelineEvent } from './timeline';

/** What the classifier tells of one customer message. */
export type MessageClassification = {
  intent: Intent;
  /** The model's probability for the intent, 0..1 (below the threshold the intent is `unknown`). */
  confidence: number;
  /** zh, ja, ko, ru, ar, en, es, fr, de, or `und` when unsure. */
  language: string;
  /** -1 (angry) .. 1 (happy). */
  sentiment: number;
  urgent: boolean;
};

// Whether the message's intent replaces the conversation's: never over an agent's, otherwise when
// there is none yet, it is unknown, or the model is now surer. Written against the row being
// updated, so concurrent classifications of one conversation cannot undo each other.
const TAKES_INTENT = `(intent_source IS DISTINCT FROM 'agent'
  AND (intent IS NULL OR intent = '${UNKNOWN_INTENT}' OR intent_confidence IS NULL OR $4::real > intent_confidence))`;
const CHANGES_INTENT = `(${TAKES_INTENT} AND (intent IS DISTINCT FROM $3 OR intent_confidence IS DISTINCT FROM $4::real))`;

// Language and sentiment describe the customer's latest message: an older one classified late
// (a retried job) leaves them alone.
const IS_LATEST = `NOT EXISTS (
  SELECT 1 FROM messages later JOIN messages this ON this.id = $2
   WHERE later.conversation_id = this.conversation_id AND later.seq > this.seq
     AND later.direction = 'inbound' AND later.author_kind = 'customer' AND NOT later.automated)`;

/**
 * Records one message's classification on its conversation, in one UPDATE: the intent (see
 * TAKES_INTENT), language and sentiment of the latest message, and urgency, which stays once
 * set. Applying the same classification twice changes nothing more.
 */
export async function recordClassification(
  ctx: DomainContext,
  target: { conversationId: string; messageId: string },
  result: MessageClassification,
): Promise<Conversation> {
  await ctx.db.query(
    `UPDATE conversations
        SET classified_at = CASE WHEN ${CHANGES_INTENT} THEN $8 ELSE classified_at END,
            intent_source = CASE WHEN ${TAKES_INTENT} THEN 'model' ELSE intent_source END,
            intent = CASE WHEN ${TAKES_INTENT} THEN $3 ELSE intent END,
            intent_confidence = CASE WHEN ${TAKES_INTENT} THEN $4::real ELSE intent_confidence END,
            language = CASE WHEN $5 <> 'und' AND (language IS NULL OR language = 'und' OR ${IS_LATEST}) THEN $5
                            ELSE COALESCE(language, $5) END,
            sentiment = CASE WHEN sentiment IS NULL OR ${IS_LATEST} THEN $6 ELSE sentiment END,
            urgent = urgent OR $7,
            updated_at = GREATEST(updated_at, $8)
      WHERE id = $1`,
    [target.conversationId, target.messageId, result.intent, result.confidence, result.language, result.sentiment, result.urgent, ctx.now()],
  );
  const conversation = await getConversation(ctx.db, target.conversationId);
  ctx.publish([{ type: 'conversation:updated', conversation }]);
  return conversation;
}

export const intentCorrectionSchema = z.object({ intent: z.enum(intents).describe('One of GET /api/intents') }).strict();

/** An agent's correction keeps at most this much of the customer's words as a training example. */
export const EXAMPLE_MAX_CHARACTERS = 4000;

/**
 * An agent sets the conversation's intent: it is confirmed (classification leaves it alone from
 * now on), the customer's messages become a training example for the next `npm run train`, and
 * the change is on the customer's timeline. An unassigned conversation is routed again. Setting
 * the intent it already has from an agent changes nothing.
 */
export async function correctIntent(
  ctx: DomainContext,
  correction: { conversationId: string; intent: Intent; agentId: string },
): Promise<Conversation> {
  const at = ctx.now();
  const outcome = await ctx.db.transaction(async (tx) => {
    const before = await getConversation(tx, correction.conversationId);
    // Customer before conversation, the order every write takes: the timeline insert below needs the customer.
    await lockCustomer(tx, before.customerId);
    const [row] = await tx.query<{ intent: string | null; intent_source: string | null; language: string | null }>(
      'SELECT intent, intent_source, language FROM conversations WHERE id = $1 FOR UPDATE',
      [before.id],
    );
    if (row!.intent_source === 'agent' && row!.intent === correction.intent) return { conversation: before, changed: false };
    await tx.query(
      `UPDATE conversations SET intent = $2, intent_confidence = 1, intent_source = 'agent', updated_at = $3 WHERE id = $1`,
      [before.id, correction.intent, at],
    );
    // "None of our intents" is a routing decision, not an example of an intent the model could learn.
    if (correction.intent !== UNKNOWN_INTENT) {
      const messages = await tx.query<{ body: string }>(
        `SELECT body FROM messages
          WHERE conversation_id = $1 AND direction = 'inbound' AND author_kind = 'customer' AND NOT automated
          ORDER BY seq`,
        [before.id],
      );
      const text = messages.map((message) => message.body).join('\n').slice(0, EXAMPLE_MAX_CHARACTERS).trim();
      if (text) {
        await tx.query(
          `INSERT INTO intent_examples (id, text, intent, language, source, conversation_id, agent_id, created_at)
           VALUES ($1, $2, $3, $4, 'agent', $5, $6, $7)`,
          [newId('iex'), text, correction.intent, row!.language, before.id, correction.agentId, at],
        );
      }
    }
    await appendTimelineEvent(tx, {
      customerId: before.customerId,
      at,
      kind: 'conversation.intent_corrected',
      reference: before.id,
      data: { conversationId: before.id, from: row!.intent, to: correction.intent, agentId: correction.agentId },
    });
    return { conversation: await getConversation(tx, before.id), changed: true };
  });
  if (outcome.changed) {
    ctx.publish([{ type: 'conversation:updated', conversation: outcome.conversation }]);
    if (!outcome.conversation.assigneeId) await ctx.queues.route(outcome.conversation.id);
  }
  return outcome.conversation;
}
