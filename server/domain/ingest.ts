import type { Queryable } from '../db/database';
import { insertAttachments, type StoredFile } from './attachments';
import type { DomainContext, HubEvent } from './context';
import {
  type Channel,
  type Conversation,
  findActiveConversation,
  getConversation,
  openConversation,
  touchConversation,
} from './conversations';
import { type Customer, type Identity, resolveCustomer } from './customers';
import { findEmailConversation, type ThreadHints } from './emailThreads';
import { HubError } from './errors';
import { type EmailParts, excerpt, findMessageByClientId, insertMessage, type Message, normalizeBody } from './messages';
import { appendTimelineEvent } from './timeline';
import { lockCustomer } from './locks';

/** A customer message from any channel, already validated for shape by that channel. */
export type Inbound = {
  channel: Channel;
  /** Who sent it; the first identity is the strongest (e.g. the widget's visitor id). */
  identities: Identity[];
  customerName?: string;
  /** The conversation the sender means to continue; it must be theirs. */
  conversationId?: string;
  /** The sender's own id for the message (widget client id, email Message-ID): the same one is stored once. */
  clientId?: string;
  subject?: string;
  body: string;
  /** Email only: the rest of the message, how it threads, and its stored attachments. */
  email?: { parts: Omit<EmailParts, 'subject'>; thread: ThreadHints; attachments: StoredFile[] };
};

export type IngestResult = {
  message: Message;
  conversation: Conversation;
  customer: Customer;
  /** True when this client id was seen before: nothing was stored, the first result is returned. */
  duplicate: boolean;
  /** True when this message opened a new conversation. */
  opened: boolean;
};

/** The one door through which customer messages enter the hub, from every channel. */
export async function ingest(ctx: DomainContext, inbound: Inbound): Promise<IngestResult> {
  const body = normalizeBody(inbound.body, ctx.settings.messageMaxLength);
  const at = ctx.now();
  const events: HubEvent[] = [];
  const result = await ctx.db.transaction(async (tx) => {
    const { customer } = await resolveCustomer(tx, inbound.identities, inbound.customerName);
    await lockCustomer(tx, customer.id);
    if (inbound.clientId) {
      const earlier = await findMessageByClientId(tx, { kind: 'customer', id: customer.id }, inbound.clientId);
      if (earlier) {
        const conversation = await getConversation(tx, earlier.conversationId);
        return { message: earlier, conversation, customer, duplicate: true, opened: false };
      }
    }
    let conversation = await conversationFor(tx, customer.id, inbound);
    const opened = !conversation;
    conversation ??= await openConversation(tx, {
      customerId: customer.id,
      channel: inbound.channel,
      subject: inbound.subject?.trim() || null,
      at,
    });
    const subject = inbound.subject?.trim() || null;
    let message = await insertMessage(tx, {
      conversationId: conversation.id,
      customerId: customer.id,
      channel: conversation.channel,
      direction: 'inbound',
      author: { kind: 'customer', id: customer.id, name: customer.name },
      body,
      clientId: inbound.clientId ?? null,
      email: inbound.email && { ...inbound.email.parts, subject },
      createdAt: at,
    });
    if (inbound.email?.attachments.length) {
      message = { ...message, attachments: await insertAttachments(tx, message.id, inbound.email.attachments) };
    }
    if (opened) {
      await appendTimelineEvent(tx, {
        customerId: customer.id,
        at,
        kind: 'conversation.opened',
        reference: conversation.id,
        data: { channel: conversation.channel, subject: conversation.subject },
      });
      events.push({ type: 'conversation:new', conversation });
    } else {
      conversation = await touchConversation(tx, conversation.id, { at, by: 'customer' });
      events.push({ type: 'conversation:updated', conversation });
    }
    await appendTimelineEvent(tx, {
      customerId: customer.id,
      at,
      kind: 'message.received',
      reference: message.id,
      data: { conversationId: conversation.id, channel: message.channel, excerpt: excerpt(body) },
    });
    events.push({ type: 'message:new', message });
    return { message, conversation, customer, duplicate: false, opened };
  });
  ctx.publish(events);
  return result;
}

async function conversationFor(
  tx: Queryable,
  customerId: string,
  inbound: Inbound,
): Promise<Conversation | undefined> {
  if (!inbound.conversationId) {
    if (!inbound.email) return findActiveConversation(tx, customerId, inbound.channel);
    const threaded = await findEmailConversation(tx, customerId, inbound.email.thread);
    return threaded?.status === 'closed' ? undefined : threaded;
  }
  const conversation = await getConversation(tx, inbound.conversationId).catch(() => undefined);
  // Someone else's conversation answers exactly like a missing one, so ids cannot be probed.
  if (!conversation || conversation.customerId !== customerId || conversation.channel !== inbound.channel) {
    throw new HubError('conversation_not_found', `No conversation ${inbound.conversationId}`);
  }
  // A closed conversation stays closed; writing again continues the active one or starts anew.
  return conversation.status === 'closed' ? findActiveConversation(tx, customerId, inbound.channel) : conversation;
}
