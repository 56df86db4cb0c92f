import type { DomainContext } from './context';
import { getMessage, type Message } from './messages';
import { appendTimelineEvent } from './timeline';

/** An outbound email reached the customer's mail server under this Message-ID. */
export async function markEmailSent(ctx: DomainContext, messageId: string, emailMessageId: string): Promise<Message> {
  const message = await ctx.db.transaction(async (tx) => {
    await tx.query(
      "UPDATE messages SET delivery_status = 'sent', delivery_error = NULL, email_message_id = $2 WHERE id = $1",
      [messageId, emailMessageId],
    );
    return getMessage(tx, messageId);
  });
  ctx.publish([{ type: 'message:updated', message }]);
  return message;
}

/**
 * An outbound email will not arrive: a permanent SMTP refusal, retries exhausted, or a bounce
 * that came back later. Recorded on the message and the customer's timeline, told to consoles.
 */
export async function markEmailFailed(
  ctx: DomainContext,
  messageId: string,
  failure: { reason: string; source: 'smtp' | 'bounce' },
): Promise<Message> {
  const message = await ctx.db.transaction(async (tx) => {
    await tx.query("UPDATE messages SET delivery_status = 'failed', delivery_error = $2 WHERE id = $1", [
      messageId,
      failure.reason.slice(0, 1000),
    ]);
    const failed = await getMessage(tx, messageId);
    await appendTimelineEvent(tx, {
      customerId: failed.customerId,
      at: ctx.now(),
      kind: 'message.delivery_failed',
      reference: failed.id,
      data: { conversationId: failed.conversationId, source: failure.source, reason: failure.reason.slice(0, 300) },
    });
    return failed;
  });
  ctx.publish([{ type: 'message:updated', message }]);
  return message;
}

/** The outbound message a bounce refers to, by the Message-ID we sent it with. */
export async function findSentEmail(ctx: DomainContext, emailMessageId: string): Promise<string | undefined> {
  const [row] = await ctx.db.query<{ id: string }>(
    "SELECT id FROM messages WHERE email_message_id = $1 AND direction = 'outbound'",
    [emailMessageId],
  );
  return row?.id;
}
