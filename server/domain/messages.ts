import type { Queryable } from '../db/database';
import type { Channel } from './conversations';
import { decodeCursor, type Page, pageOf } from './cursor';
import { HubError } from './errors';
import { newId } from './ids';

export type AuthorKind = 'customer' | 'agent' | 'system';

export type Message = {
  id: string;
  conversationId: string;
  customerId: string;
  channel: Channel;
  direction: 'inbound' | 'outbound';
  /** avatarUrl: the agent's picture, for agents who have one. */
  author: { kind: AuthorKind; id: string | null; name: string | null; avatarUrl: string | null };
  body: string;
  /** The sender's own id for this message (widget client id, email Message-ID), if it gave one. */
  clientId: string | null;
  /** Email only: what the message holds beyond its visible text, and who else it went to. */
  email: (EmailParts & { cc: string[] }) | null;
  /** Outbound email only: whether it reached the customer's mail server. */
  delivery: { status: DeliveryStatus; error: string | null } | null;
  attachments: AttachmentInfo[];
  createdAt: string;
};

export type DeliveryStatus = 'queued' | 'sent' | 'failed';

export type EmailParts = {
  subject: string | null;
  /** RFC 5322 Message-ID with angle brackets. */
  messageId: string | null;
  /** Sanitized HTML, safe to render. */
  html: string | null;
  /** The whole plain text, quoted history included. */
  text: string | null;
  /** An auto-reply or bulk mail (never answered automatically). */
  automated: boolean;
};

export type AttachmentInfo = { id: string; filename: string; contentType: string; size: number };

type MessageRow = {
  id: string;
  seq: number;
  conversation_id: string;
  customer_id: string;
  channel: Channel;
  direction: 'inbound' | 'outbound';
  author_kind: AuthorKind;
  author_id: string | null;
  author_name: string | null;
  author_avatar_url: string | null;
  body: string;
  external_id: string | null;
  subject: string | null;
  text_full: string | null;
  html: string | null;
  email_message_id: string | null;
  email_cc: string[] | null;
  automated: boolean;
  delivery_status: DeliveryStatus | null;
  delivery_error: string | null;
  attachments: AttachmentInfo[];
  created_at: Date;
};

const SELECT_MESSAGE = `
  SELECT m.*, CASE m.author_kind WHEN 'agent' THEN a.name WHEN 'customer' THEN c.name END AS author_name, a.avatar_url AS author_avatar_url,
         COALESCE((SELECT json_agg(json_build_object('id', f.id, 'filename', f.filename, 'contentType', f.content_type,
                                                    'size', f.size_bytes) ORDER BY f.id)
                     FROM attachments f WHERE f.message_id = m.id), '[]'::json) AS attachments
    FROM messages m
    LEFT JOIN agents a ON m.author_kind = 'agent' AND a.id = m.author_id
    LEFT JOIN customers c ON m.author_kind = 'customer' AND c.id = m.author_id`;

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  conversationId: row.conversation_id,
  customerId: row.customer_id,
  channel: row.channel,
  direction: row.direction,
  author: { kind: row.author_kind, id: row.author_id, name: row.author_name, avatarUrl: row.author_avatar_url },
  body: row.body,
  clientId: row.external_id,
  // A form ticket is answered by email too: what went or came by mail has its email parts.
  email:
    row.channel === 'email' || row.email_message_id !== null || row.delivery_status !== null
      ? {
          subject: row.subject,
          messageId: row.email_message_id,
          html: row.html,
          text: row.text_full,
          automated: row.automated,
          cc: row.email_cc ?? [],
        }
      : null,
  delivery: row.delivery_status ? { status: row.delivery_status, error: row.delivery_error } : null,
  attachments: row.attachments,
  createdAt: row.created_at.toISOString(),
});

/** The body as stored: trimmed, never longer than the limit, empty only when files carry the message. */
export function normalizeBody(body: string, maxLength: number, options: { allowEmpty?: boolean } = {}): string {
  const trimmed = body.trim();
  if (trimmed === '' && !options.allowEmpty) throw new HubError('message_empty', 'The message has no text');
  if (trimmed.length > maxLength) {
    throw new HubError('message_too_long', `The message is longer than ${maxLength} characters`);
  }
  return trimmed;
}

/** The start of a message on one line, for timeline entries and previews. */
export function excerpt(body: string, length = 200): string {
  const flat = body.replace(/\s+/g, ' ');
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

export type NewMessage = Omit<Message, 'id' | 'createdAt' | 'email' | 'delivery' | 'attachments' | 'author'> & {
  author: Omit<Message['author'], 'avatarUrl'> & { avatarUrl?: string | null };
  /** cc: an agent's email reply also goes to these addresses. */
  email?: EmailParts & { cc?: string[] };
  deliveryStatus?: DeliveryStatus;
  createdAt: Date;
};

/** Stores a message; its attachments, if any, are added by the caller in the same transaction. */
export async function insertMessage(tx: Queryable, message: NewMessage, id = newId('msg')): Promise<Message> {
  const [row] = await tx.query<MessageRow>(
    `INSERT INTO messages (id, conversation_id, customer_id, channel, direction, author_kind, author_id, body, external_id,
                           created_at, subject, text_full, html, email_message_id, automated, delivery_status, email_cc)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING *`,
    [
      id,
      message.conversationId,
      message.customerId,
      message.channel,
      message.direction,
      message.author.kind,
      message.author.id,
      message.body,
      message.clientId,
      message.createdAt,
      message.email?.subject ?? null,
      message.email?.text ?? null,
      message.email?.html ?? null,
      message.email?.messageId ?? null,
      message.email?.automated ?? false,
      message.deliveryStatus ?? null,
      message.email?.cc?.length ? message.email.cc : null,
    ],
  );
  return toMessage({ ...row!, author_name: message.author.name, author_avatar_url: message.author.avatarUrl ?? null, attachments: [] });
}

export async function getMessage(db: Queryable, messageId: string): Promise<Message> {
  const [row] = await db.query<MessageRow>(`${SELECT_MESSAGE} WHERE m.id = $1`, [messageId]);
  if (!row) throw new HubError('message_not_found', `No message ${messageId}`);
  return toMessage(row);
}

/** The message this author already sent under this client id, if any (the idempotency check). */
export async function findMessageByClientId(
  tx: Queryable,
  author: { kind: AuthorKind; id: string },
  clientId: string,
): Promise<Message | undefined> {
  const [row] = await tx.query<MessageRow>(
    `${SELECT_MESSAGE} WHERE m.author_kind = $1 AND m.author_id = $2 AND m.external_id = $3`,
    [author.kind, author.id, clientId],
  );
  return row && toMessage(row);
}

export async function listConversationMessages(
  db: Queryable,
  conversationId: string,
  page: { cursor?: string; limit: number },
): Promise<Page<Message>> {
  const after = page.cursor ? (decodeCursor(page.cursor, ['position'])[0] as number) : 0;
  const rows = await db.query<MessageRow>(
    `${SELECT_MESSAGE} WHERE m.conversation_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3`,
    [conversationId, after, page.limit + 1],
  );
  const { items, nextCursor } = pageOf(rows, page.limit, (row) => [row.seq]);
  return { items: items.map(toMessage), nextCursor };
}

/**
 * A customer's chat messages after `afterId` (all when omitted), oldest first: what a widget
 * missed while it was away. The seq order is commit order per customer, so nothing is skipped.
 */
export async function listCustomerMessagesSince(
  db: Queryable,
  customerId: string,
  channel: Channel,
  afterId: string | undefined,
  limit: number,
): Promise<{ messages: Message[]; hasMore: boolean }> {
  let after = 0;
  if (afterId) {
    const [anchor] = await db.query<{ seq: number }>('SELECT seq FROM messages WHERE id = $1 AND customer_id = $2', [
      afterId,
      customerId,
    ]);
    if (!anchor) throw new HubError('message_not_found', `No message ${afterId} in this conversation`);
    after = anchor.seq;
  }
  const rows = await db.query<MessageRow>(
    `${SELECT_MESSAGE} WHERE m.customer_id = $1 AND m.channel = $2 AND m.seq > $3 ORDER BY m.seq LIMIT $4`,
    [customerId, channel, after, limit + 1],
  );
  return { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit };
}
