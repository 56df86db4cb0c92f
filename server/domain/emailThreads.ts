import type { Queryable } from '../db/database';
import { type Conversation, getConversation } from './conversations';

/** How an inbound email says which conversation it continues. */
export type ThreadHints = {
  /** In-Reply-To, then References newest first (Message-IDs with angle brackets). */
  messageIds: readonly string[];
  /** From a support+<token>@… address, for clients that drop threading headers. */
  replyToken?: string;
};

/**
 * The customer's conversation this email continues: by a Message-ID we stored, else by reply
 * token, else none (a new conversation). Only the customer's own conversations match, so a
 * forwarded thread never lets a stranger into someone else's conversation.
 */
export async function findEmailConversation(
  tx: Queryable,
  customerId: string,
  hints: ThreadHints,
): Promise<Conversation | undefined> {
  if (hints.messageIds.length > 0) {
    const [byHeader] = await tx.query<{ conversation_id: string }>(
      `SELECT conversation_id FROM messages
        WHERE email_message_id = ANY($1::text[]) AND customer_id = $2
        ORDER BY seq DESC LIMIT 1`,
      [hints.messageIds, customerId],
    );
    if (byHeader) return getConversation(tx, byHeader.conversation_id);
  }
  if (hints.replyToken) {
    const [byToken] = await tx.query<{ id: string }>(
      'SELECT id FROM conversations WHERE reply_token = $1 AND customer_id = $2',
      [hints.replyToken, customerId],
    );
    if (byToken) return followMerges(tx, await getConversation(tx, byToken.id));
  }
  return undefined;
}

/** A merged conversation's replies continue the one it was merged into (whose messages it now holds). */
async function followMerges(tx: Queryable, conversation: Conversation): Promise<Conversation> {
  let current = conversation;
  for (let hop = 0; current.mergedIntoId && hop < 10; hop++) current = await getConversation(tx, current.mergedIntoId);
  return current;
}

/** What an outbound email needs to thread in the customer's mail program. */
export type ReplyContext = {
  customerEmail: string | undefined;
  customerName: string | null;
  replyToken: string | null;
  /** The Message-ID the reply answers: the customer's latest email before it. */
  inReplyTo: string | undefined;
  /** Earlier Message-IDs of the conversation, oldest first. */
  references: string[];
};

// RFC 5322 lets References grow without bound; mail programs need the root and recent ones.
const MAX_REFERENCES = 20;

export async function replyContextFor(db: Queryable, message: { id: string; conversationId: string; customerId: string }): Promise<ReplyContext> {
  const [customer] = await db.query<{ name: string | null; email: string | null; reply_token: string | null }>(
    `SELECT cu.name, cv.reply_token,
            (SELECT value FROM customer_identities WHERE customer_id = cu.id AND kind = 'email' ORDER BY created_at, id LIMIT 1) AS email
       FROM conversations cv JOIN customers cu ON cu.id = cv.customer_id
      WHERE cv.id = $1`,
    [message.conversationId],
  );
  const earlier = await db.query<{ email_message_id: string; direction: string }>(
    `SELECT email_message_id, direction FROM messages
      WHERE conversation_id = $1 AND email_message_id IS NOT NULL
        AND seq < (SELECT seq FROM messages WHERE id = $2)
      ORDER BY seq`,
    [message.conversationId, message.id],
  );
  const ids = earlier.map((row) => row.email_message_id);
  const lastInbound = earlier.filter((row) => row.direction === 'inbound').at(-1)?.email_message_id;
  const references = ids.length > MAX_REFERENCES ? [ids[0]!, ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
  return {
    customerEmail: customer?.email ?? undefined,
    customerName: customer?.name ?? null,
    replyToken: customer?.reply_token ?? null,
    inReplyTo: lastInbound ?? ids.at(-1),
    references,
  };
}
