import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { HubError } from './errors';
import { newId } from './ids';

export const channels = ['chat', 'email', 'form'] as const;
export type Channel = (typeof channels)[number];
export const conversationStatuses = ['open', 'pending', 'resolved', 'closed'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

export type Conversation = {
  id: string;
  customerId: string;
  customerName: string | null;
  channel: Channel;
  status: ConversationStatus;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  subject: string | null;
  intent: string | null;
  /** 0..1 from the classifier; 1 when an agent set the intent. */
  intentConfidence: number | null;
  /** 'agent' once an agent confirmed or corrected it: classification leaves it alone. */
  intentSource: 'model' | 'agent' | null;
  language: string | null;
  /** -1 (angry) .. 1 (happy), from the latest customer message. */
  sentiment: number | null;
  urgent: boolean;
  teamId: string | null;
  assigneeId: string | null;
  /** 'agent' for manual assignments and transfers, which routing never overrides. */
  assignedBy: 'router' | 'agent' | null;
  /** Since when it waits in its team's queue for a free agent; null when not waiting. */
  queuedAt: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  firstResponseBreachedAt: string | null;
  resolutionBreachedAt: string | null;
  lastMessageAt: string;
  createdAt: string;
  updatedAt: string;
};

/** A conversations row as node-postgres and PGlite return it. */
export type ConversationRow = {
  id: string;
  customer_id: string;
  customer_name: string | null;
  channel: Channel;
  status: ConversationStatus;
  priority: Conversation['priority'];
  subject: string | null;
  intent: string | null;
  intent_confidence: number | null;
  intent_source: Conversation['intentSource'];
  language: string | null;
  sentiment: number | null;
  urgent: boolean;
  team_id: string | null;
  assignee_id: string | null;
  assigned_by: Conversation['assignedBy'];
  queued_at: Date | null;
  first_response_breached_at: Date | null;
  resolution_breached_at: Date | null;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  first_response_at: Date | null;
  resolved_at: Date | null;
  last_message_at: Date;
  created_at: Date;
  updated_at: Date;
};

const SELECT_CONVERSATION = `
  SELECT cv.*, cu.name AS customer_name FROM conversations cv JOIN customers cu ON cu.id = cv.customer_id`;

const iso = (value: Date | null) => (value ? value.toISOString() : null);

const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  customerId: row.customer_id,
  customerName: row.customer_name,
  channel: row.channel,
  status: row.status,
  priority: row.priority,
  subject: row.subject,
  intent: row.intent,
  intentConfidence: row.intent_confidence,
  intentSource: row.intent_source,
  language: row.language,
  sentiment: row.sentiment,
  urgent: row.urgent,
  teamId: row.team_id,
  assigneeId: row.assignee_id,
  assignedBy: row.assigned_by,
  queuedAt: iso(row.queued_at),
  firstResponseDueAt: iso(row.first_response_due_at),
  resolutionDueAt: iso(row.resolution_due_at),
  firstResponseAt: iso(row.first_response_at),
  resolvedAt: iso(row.resolved_at),
  firstResponseBreachedAt: iso(row.first_response_breached_at),
  resolutionBreachedAt: iso(row.resolution_breached_at),
  lastMessageAt: row.last_message_at.toISOString(),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export async function getConversation(db: Queryable, conversationId: string): Promise<Conversation> {
  const [row] = await db.query<ConversationRow>(`${SELECT_CONVERSATION} WHERE cv.id = $1`, [conversationId]);
  if (!row) throw new HubError('conversation_not_found', `No conversation ${conversationId}`);
  return toConversation(row);
}

/** The customer's conversation on this channel that is still going (open or pending), if any. */
export async function findActiveConversation(
  tx: Queryable,
  customerId: string,
  channel: Channel,
): Promise<Conversation | undefined> {
  const [row] = await tx.query<ConversationRow>(
    `${SELECT_CONVERSATION}
      WHERE cv.customer_id = $1 AND cv.channel = $2 AND cv.status IN ('open', 'pending')
      ORDER BY cv.last_message_at DESC LIMIT 1`,
    [customerId, channel],
  );
  return row && toConversation(row);
}

export async function openConversation(
  tx: Queryable,
  opening: { customerId: string; channel: Channel; subject: string | null; at: Date },
): Promise<Conversation> {
  // A chat takes over a wish to be answered by email that the visitor left before writing.
  const [wish] =
    opening.channel === 'chat'
      ? await tx.query<{ continue_chat_by_email: boolean }>(
          'UPDATE customers SET continue_chat_by_email = false WHERE id = $1 AND continue_chat_by_email RETURNING true AS continue_chat_by_email',
          [opening.customerId],
        )
      : [];
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO conversations (id, customer_id, channel, subject, reply_token, continue_by_email, last_message_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7) RETURNING id`,
    // Lower-case hex: mail servers may change the case of an address's local part.
    [newId('cnv'), opening.customerId, opening.channel, opening.subject, randomBytes(8).toString('hex'), wish !== undefined, opening.at],
  );
  return getConversation(tx, row!.id);
}

/**
 * Records a new message in the conversation: it moves up the inbox, a customer message reopens
 * it, and an agent's first message is its first response (a system message is none).
 */
export async function touchConversation(
  tx: Queryable,
  conversationId: string,
  change: { at: Date; by: 'customer' | 'agent' | 'system' },
): Promise<Conversation> {
  await tx.query(
    `UPDATE conversations
        SET last_message_at = GREATEST(last_message_at, $2),
            updated_at = $2,
            status = CASE WHEN $3 = 'customer' AND status IN ('pending', 'resolved') THEN 'open' ELSE status END,
            resolved_at = CASE WHEN $3 = 'customer' AND status = 'resolved' THEN NULL ELSE resolved_at END,
            first_response_at = CASE WHEN $3 = 'agent' THEN COALESCE(first_response_at, $2) ELSE first_response_at END
      WHERE id = $1`,
    [conversationId, change.at, change.by],
  );
  return getConversation(tx, conversationId);
}

export type ConversationFilter = {
  status?: ConversationStatus;
  /** An agent id, or null for conversations no one is assigned to. */
  assigneeId?: string | null;
};

/** The inbox: most recently active first. */
export async function listConversations(
  db: Queryable,
  filter: ConversationFilter,
  page: { cursor?: string; limit: number },
): Promise<Page<Conversation>> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    params.push(filter.status);
    conditions.push(`cv.status = $${params.length}`);
  }
  if (filter.assigneeId === null) conditions.push('cv.assignee_id IS NULL');
  else if (filter.assigneeId !== undefined) {
    params.push(filter.assigneeId);
    conditions.push(`cv.assignee_id = $${params.length}`);
  }
  if (page.cursor) {
    const [lastMessageAt, id] = decodeCursor(page.cursor, ['timestamp', 'string']);
    params.push(lastMessageAt, id);
    conditions.push(`(cv.last_message_at, cv.id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(page.limit + 1);
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await db.query<ConversationRow>(
    `${SELECT_CONVERSATION} ${where} ORDER BY cv.last_message_at DESC, cv.id DESC LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, page.limit).map(toConversation);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > page.limit && last ? encodeCursor([last.lastMessageAt, last.id]) : null,
  };
}
