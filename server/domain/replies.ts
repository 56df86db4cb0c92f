import type { DomainContext, HubEvent } from './context';
import { type Conversation, getConversation, touchConversation } from './conversations';
import { getAgent } from './agents';
import { lockCustomer } from './locks';
import { excerpt, findMessageByClientId, insertMessage, type Message, normalizeBody } from './messages';
import { appendTimelineEvent } from './timeline';

export type AgentReply = { agentId: string; conversationId: string; clientId?: string; body: string };

export type ReplyResult = { message: Message; conversation: Conversation; duplicate: boolean };

/** An agent answers a conversation; the customer gets it on the conversation's channel. */
export async function replyAsAgent(ctx: DomainContext, reply: AgentReply): Promise<ReplyResult> {
  const body = normalizeBody(reply.body, ctx.limits.messageMaxLength);
  const at = ctx.now();
  const events: HubEvent[] = [];
  const result = await ctx.db.transaction(async (tx) => {
    const agent = await getAgent(tx, reply.agentId);
    const target = await getConversation(tx, reply.conversationId);
    await lockCustomer(tx, target.customerId);
    if (reply.clientId) {
      const earlier = await findMessageByClientId(tx, { kind: 'agent', id: agent.id }, reply.clientId);
      if (earlier) {
        return { message: earlier, conversation: await getConversation(tx, earlier.conversationId), duplicate: true };
      }
    }
    const message = await insertMessage(tx, {
      conversationId: target.id,
      customerId: target.customerId,
      channel: target.channel,
      direction: 'outbound',
      author: { kind: 'agent', id: agent.id, name: agent.name },
      body,
      clientId: reply.clientId ?? null,
      createdAt: at,
    });
    const conversation = await touchConversation(tx, target.id, { at, byCustomer: false });
    await appendTimelineEvent(tx, {
      customerId: target.customerId,
      at,
      kind: 'message.sent',
      reference: message.id,
      data: { conversationId: target.id, channel: message.channel, agentId: agent.id, excerpt: excerpt(body) },
    });
    events.push({ type: 'conversation:updated', conversation }, { type: 'message:new', message });
    return { message, conversation, duplicate: false };
  });
  ctx.publish(events);
  return result;
}
