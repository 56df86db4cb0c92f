import type { DomainContext, ReadReceipt } from './context';
import { HubError } from './errors';

/** The visitor has seen their chat up to this message; their conversation's agents are told. */
export function markReadByCustomer(ctx: DomainContext, customerId: string, upToId: string): Promise<ReadReceipt> {
  return markRead(ctx, 'customer', upToId, { sql: "customer_id = $2 AND channel = 'chat'", value: customerId });
}

/** An agent has seen the conversation up to this message; the customer's widget is told. */
export function markReadByAgent(ctx: DomainContext, conversationId: string, upToId: string): Promise<ReadReceipt> {
  return markRead(ctx, 'agent', upToId, { sql: 'conversation_id = $2', value: conversationId });
}

/**
 * Moves the reader's mark forward to `upToId` (never back: a late, older receipt changes
 * nothing) and publishes the receipt when it moved. `scope` says where the message must be.
 */
async function markRead(ctx: DomainContext, reader: ReadReceipt['reader'], upToId: string, scope: { sql: string; value: string }): Promise<ReadReceipt> {
  const column = reader === 'customer' ? 'customer_read_upto' : 'agent_read_upto';
  const [message] = await ctx.db.query<{ conversation_id: string; customer_id: string; seq: string }>(
    `SELECT conversation_id, customer_id, seq FROM messages WHERE id = $1 AND ${scope.sql}`,
    [upToId, scope.value],
  );
  if (!message) throw new HubError('message_not_found', `No message ${upToId} here`);
  const moved = await ctx.db.query(
    `UPDATE conversations SET ${column} = $2
      WHERE id = $1 AND (${column} IS NULL OR (SELECT seq FROM messages WHERE id = ${column}) < $3)
      RETURNING id`,
    [message.conversation_id, upToId, message.seq],
  );
  const receipt: ReadReceipt = { customerId: message.customer_id, conversationId: message.conversation_id, reader, upToId };
  if (moved.length > 0) ctx.publish([{ type: 'messages:read', receipt }]);
  return receipt;
}
