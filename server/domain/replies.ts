import { z } from 'zod';
import type { Queryable } from '../db/database';
import { getAgentCard } from './agentCard';
import type { DomainContext, HubEvent } from './context';
import { type Conversation, getConversation, touchConversation } from './conversations';
import { HubError } from './errors';
import { lockCustomer } from './locks';
import { excerpt, findMessageByClientId, insertMessage, type Message, normalizeBody } from './messages';
import { appendTimelineEvent } from './timeline';

/** What an agent may set on a reply that goes by email (ignored on other channels). */
export const replyEmailSchema = z
  .object({
    subject: z
      .string()
      .trim()
      .min(1)
      .max(250)
      .regex(/^[^\r\n]*$/, 'a subject is one line')
      .optional()
      .describe('Replaces the "Re: …" subject'),
    cc: z.array(z.email().max(320)).max(10).optional().describe('Also sent to these addresses (Cc header)'),
  })
  .strict()
  .describe('Used only when the reply goes by email');
export type ReplyEmail = z.infer<typeof replyEmailSchema>;

export type AgentReply = { agentId: string; conversationId: string; clientId?: string; body: string; email?: ReplyEmail };

export type ReplyResult = { message: Message; conversation: Conversation; duplicate: boolean };

type Author = { kind: 'agent' | 'system'; id: string | null; name: string | null; avatarUrl?: string | null };

/** An agent answers a conversation; the customer gets it on the conversation's channel. */
export async function replyAsAgent(ctx: DomainContext, reply: AgentReply): Promise<ReplyResult> {
  const body = normalizeBody(reply.body, ctx.settings.messageMaxLength);
  return storeReply(
    ctx,
    { conversationId: reply.conversationId, body, clientId: reply.clientId, email: reply.email },
    async (tx) => {
      const agent = await getAgentCard(tx, reply.agentId);
      return { kind: 'agent', id: agent.id, name: agent.name, avatarUrl: agent.avatarUrl };
    },
  );
}

/**
 * The hub itself answers (e.g. an email auto-acknowledgement). It is not a first response:
 * SLA clocks keep running until a person answers.
 */
export async function replyAsSystem(
  ctx: DomainContext,
  reply: { conversationId: string; clientId: string; body: string },
): Promise<ReplyResult> {
  const body = normalizeBody(reply.body, ctx.settings.messageMaxLength);
  return storeReply(ctx, { conversationId: reply.conversationId, body, clientId: reply.clientId }, async () => ({ kind: 'system', id: null, name: null }));
}

async function storeReply(
  ctx: DomainContext,
  { conversationId, body, clientId, email }: { conversationId: string; body: string; clientId: string | undefined; email?: ReplyEmail },
  authorFor: (tx: Queryable) => Promise<Author>,
): Promise<ReplyResult> {
  const at = ctx.now();
  const events: HubEvent[] = [];
  const result = await ctx.db.transaction(async (tx) => {
    const author = await authorFor(tx);
    const target = await getConversation(tx, conversationId);
    await lockCustomer(tx, target.customerId);
    if (clientId) {
      const earlier = await findMessageByClientId(tx, { kind: author.kind, id: author.id ?? target.id }, clientId);
      if (earlier && earlier.conversationId !== target.id) {
        throw new HubError('client_id_conflict', `clientId ${clientId} was already used for a message in another conversation`);
      }
      if (earlier) return { message: earlier, conversation: await getConversation(tx, earlier.conversationId), duplicate: true };
    }
    const viaEmail = await repliesByEmail(tx, target);
    const message = await insertMessage(tx, {
      conversationId: target.id,
      customerId: target.customerId,
      channel: target.channel,
      direction: 'outbound',
      // System messages are deduplicated per conversation (their author id is the conversation).
      author: { ...author, id: author.id ?? target.id },
      body,
      clientId: clientId ?? null,
      email: viaEmail
        ? {
            subject: email?.subject ?? replySubject(target.subject),
            cc: [...new Set(email?.cc ?? [])],
            messageId: null,
            html: null,
            text: null,
            automated: author.kind === 'system',
          }
        : undefined,
      deliveryStatus: viaEmail ? 'queued' : undefined,
      createdAt: at,
    });
    const conversation = await touchConversation(tx, target.id, { at, by: author.kind });
    await appendTimelineEvent(tx, {
      customerId: target.customerId,
      at,
      kind: 'message.sent',
      reference: message.id,
      data: { conversationId: target.id, channel: message.channel, author: author.kind, agentId: author.id, excerpt: excerpt(body) },
    });
    events.push({ type: 'conversation:updated', conversation }, { type: 'message:new', message });
    return { message, conversation, duplicate: false };
  });
  ctx.publish(events);
  // Enqueued for a duplicate too: the first attempt may have committed and then failed to enqueue.
  if (result.message.delivery?.status === 'queued') await ctx.queues.emailOut(result.message.id);
  return result;
}

/**
 * Email conversations are answered by email; so are web form tickets whose customer gave an
 * email, since the form has no other way back to them, and chats the visitor asked to continue
 * by email when nobody was online. Their reply threads into the same conversation.
 */
async function repliesByEmail(tx: Queryable, conversation: Conversation): Promise<boolean> {
  if (conversation.channel === 'email') return true;
  if (conversation.channel === 'chat') {
    const [flag] = await tx.query<{ continue_by_email: boolean }>('SELECT continue_by_email FROM conversations WHERE id = $1', [conversation.id]);
    if (!flag?.continue_by_email) return false;
  } else if (conversation.channel !== 'form') return false;
  const [email] = await tx.query("SELECT 1 FROM customer_identities WHERE customer_id = $1 AND kind = 'email' LIMIT 1", [conversation.customerId]);
  return email !== undefined;
}

/** "Re: <subject>", without stacking "Re: Re: …". */
export function replySubject(subject: string | null): string {
  const base = (subject ?? '').trim();
  if (!base) return 'Re: your message';
  return /^(re|aw|答复|回复)\s*[:：]/i.test(base) ? base : `Re: ${base}`;
}
