import type { Queryable } from '../db/database';
import { attachUploads, insertAttachments, type StoredFile } from './attachments';
import { customerCreated, stopSequencesOnReply } from './automationTriggers';
import type { DomainContext, DomainSettings, HubEvent } from './context';
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
import {
  findSubmissionByClientId,
  type FormSubmission,
  insertSubmission,
  reusedKey,
  setSubmissionFields,
  type SubmittedFileValue,
  type SubmittedValue,
} from './formSubmissions';
import { newId } from './ids';
import { lockCustomer } from './locks';
import { type EmailParts, excerpt, findMessageByClientId, insertMessage, type Message, normalizeBody } from './messages';
import { refreshSla, startSlaClocks } from './sla';
import { appendTimelineEvent } from './timeline';

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
  /** Widget only: attachment ids the sender uploaded beforehand; with them the body may be empty. */
  uploads?: string[];
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

/** A web form submission, already parsed and checked against its form by the forms channel. */
export type FormInbound = {
  form: { id: string; name: string };
  identities: Identity[];
  customerName?: string;
  /** The caller's Idempotency-Key: the same one for the same form is stored once. */
  clientId?: string;
  /** Every submitted text field but the honeypot. */
  fields: Record<string, string | string[]>;
  /** Stored files, with the field each was sent under. */
  files: { field: string; file: StoredFile }[];
  /** Present when the form opens a conversation: its first message, and its subject when one was submitted. */
  ticket?: { subject?: string; body: string };
  source: { origin: string | null; ip: string | null; userAgent: string | null };
};

export type FormIngestResult = {
  submission: FormSubmission;
  /** True when this Idempotency-Key was seen before: nothing was stored, the first submission is returned. */
  duplicate: boolean;
};

/** What a step inside the customer's transaction works with. */
type CustomerStep = { tx: Queryable; customer: Customer; at: Date; events: HubEvent[]; sla: DomainSettings['sla'] };

/** The one door through which customer messages enter the hub, from every channel. */
export async function ingest(ctx: DomainContext, inbound: Inbound): Promise<IngestResult> {
  const body = normalizeBody(inbound.body, ctx.settings.messageMaxLength, { allowEmpty: (inbound.uploads?.length ?? 0) > 0 });
  const result = await asCustomer(ctx, inbound, async (step): Promise<IngestResult> => {
    const { tx, customer } = step;
    if (inbound.clientId) {
      const earlier = await findMessageByClientId(tx, { kind: 'customer', id: customer.id }, inbound.clientId);
      if (earlier) {
        const conversation = await getConversation(tx, earlier.conversationId);
        return { message: earlier, conversation, customer, duplicate: true, opened: false };
      }
    }
    const continued = await conversationFor(tx, customer.id, inbound);
    const { message, conversation } = await receiveMessage(step, continued, {
      channel: inbound.channel,
      subject: inbound.subject?.trim() || null,
      body,
      clientId: inbound.clientId ?? null,
      email: inbound.email?.parts,
      attachments: inbound.email?.attachments ?? [],
      uploads: inbound.uploads ?? [],
    });
    return { message, conversation, customer, duplicate: false, opened: !continued };
  });
  // The deadlines were set with the conversation; their checks are scheduled once it is committed.
  if (result.opened) await refreshSla(ctx, result.conversation.id);
  await classifyLater(ctx, result.message);
  return result;
}

/**
 * A web form submission through the same door: the customer from its identities, a new
 * conversation (a ticket per submission) when the form opens one, the submission on the timeline.
 */
export async function ingestFormSubmission(ctx: DomainContext, inbound: FormInbound): Promise<FormIngestResult> {
  const ticket = inbound.ticket && {
    subject: inbound.ticket.subject?.trim() || inbound.form.name,
    body: normalizeBody(inbound.ticket.body, ctx.settings.messageMaxLength),
  };
  const result = await asCustomer(ctx, inbound, async (step): Promise<FormIngestResult> => {
    const { tx, customer, at } = step;
    if (inbound.clientId) {
      const earlier = await findSubmissionByClientId(tx, inbound.form.id, inbound.clientId);
      if (earlier && earlier.customerId !== customer.id) throw reusedKey(inbound.clientId);
      if (earlier) return { submission: earlier, duplicate: true };
    }
    const files = inbound.files.map(({ file }) => file);
    // Every submission is a new ticket, never a follow-up in an earlier one.
    const received = ticket && (await receiveMessage(step, undefined, { channel: 'form', ...ticket, clientId: null, attachments: files }));
    let submission = await insertSubmission(tx, {
      id: newId('fsub'),
      formId: inbound.form.id,
      customerId: customer.id,
      conversationId: received?.conversation.id ?? null,
      messageId: received?.message.id ?? null,
      clientId: inbound.clientId ?? null,
      fields: inbound.fields,
      ...inbound.source,
      createdAt: at,
    });
    if (files.length > 0) {
      const attachments = received?.message.attachments ?? (await insertAttachments(tx, { formSubmissionId: submission.id }, files));
      const values = attachments.map(({ id, filename, size, contentType }) => ({ filename, size, contentType, attachmentId: id }));
      submission = { ...submission, fields: withFiles(inbound, values) };
      await setSubmissionFields(tx, submission.id, submission.fields);
    }
    await appendTimelineEvent(tx, {
      customerId: customer.id,
      at,
      kind: 'form.submitted',
      reference: submission.id,
      data: {
        formId: inbound.form.id,
        formName: inbound.form.name,
        submissionId: submission.id,
        fields: submission.fields,
        conversationId: submission.conversationId,
        messageId: submission.messageId,
      },
    });
    return { submission, duplicate: false };
  });
  if (result.submission.conversationId && !result.duplicate) await refreshSla(ctx, result.submission.conversationId);
  if (result.submission.messageId) await ctx.queues.classify(result.submission.messageId);
  return result;
}

/**
 * After commit, the classify worker learns the message's intent (and routing follows). Asked for
 * a duplicate too: the first attempt may have committed and then failed to enqueue; the job id
 * makes it one job. Auto-replies and bulk mail are no customer's question.
 */
async function classifyLater(ctx: DomainContext, message: Message): Promise<void> {
  if (!message.email?.automated) await ctx.queues.classify(message.id);
}

/** Resolves and locks the customer in one transaction, runs `work`, and tells the consoles after commit. */
async function asCustomer<T>(
  ctx: DomainContext,
  sender: { identities: Identity[]; customerName?: string },
  work: (step: CustomerStep) => Promise<T>,
): Promise<T> {
  const at = ctx.now();
  const events: HubEvent[] = [];
  let createdCustomerId: string | undefined;
  const result = await ctx.db.transaction(async (tx) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { customer, created } = await resolveCustomer(tx, sender.identities, sender.customerName);
      createdCustomerId = created ? customer.id : undefined;
      // A merge may have committed while we waited for the lock: the identities now name the survivor.
      if (!(await lockCustomer(tx, customer.id)).mergedInto) return work({ tx, customer, at, events, sla: ctx.settings.sla });
    }
    throw new HubError('unavailable', 'The customer is being merged; try again');
  });
  ctx.publish(events);
  if (createdCustomerId) await customerCreated(ctx, createdCustomerId);
  return result;
}

type ReceivedMessage = {
  channel: Channel;
  subject: string | null;
  body: string;
  clientId: string | null;
  email?: Omit<EmailParts, 'subject'>;
  attachments: readonly StoredFile[];
  /** Ids of the customer's own widget uploads, attached in this transaction. */
  uploads?: readonly string[];
};

/**
 * Stores one inbound message in `continued`, or in a new conversation when there is none, with
 * its attachments, its timeline entries and the events the consoles are told.
 */
async function receiveMessage(
  { tx, customer, at, events, sla }: CustomerStep,
  continued: Conversation | undefined,
  received: ReceivedMessage,
): Promise<{ message: Message; conversation: Conversation }> {
  let conversation =
    continued ?? (await openConversation(tx, { customerId: customer.id, channel: received.channel, subject: received.subject, at }));
  let message = await insertMessage(tx, {
    conversationId: conversation.id,
    customerId: customer.id,
    channel: conversation.channel,
    direction: 'inbound',
    author: { kind: 'customer', id: customer.id, name: customer.name },
    body: received.body,
    clientId: received.clientId,
    email: received.email && { ...received.email, subject: received.subject },
    createdAt: at,
  });
  if (received.attachments.length > 0) {
    message = { ...message, attachments: await insertAttachments(tx, { messageId: message.id }, received.attachments) };
  }
  if (received.uploads?.length) {
    message = { ...message, attachments: await attachUploads(tx, customer.id, message.id, received.uploads) };
  }
  if (!continued) {
    conversation = await startSlaClocks(tx, sla, conversation.id);
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
  // A customer who writes has answered: their automated sequences stop (an auto-reply is no answer).
  if (!received.email?.automated) await stopSequencesOnReply(tx, customer.id, at);
  await appendTimelineEvent(tx, {
    customerId: customer.id,
    at,
    kind: 'message.received',
    reference: message.id,
    data: { conversationId: conversation.id, channel: message.channel, excerpt: excerpt(received.body) },
  });
  events.push({ type: 'message:new', message });
  return { message, conversation };
}

/** The submitted fields with each file, in the order sent, under the field it was sent as. */
function withFiles(inbound: FormInbound, attachments: readonly SubmittedFileValue[]): Record<string, SubmittedValue> {
  const fields: Record<string, SubmittedValue> = { ...inbound.fields };
  inbound.files.forEach(({ field }, index) => {
    const file = attachments[index]!;
    const earlier = fields[field];
    fields[field] = earlier === undefined ? file : [earlier, file].flat() as SubmittedFileValue[];
  });
  return fields;
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
