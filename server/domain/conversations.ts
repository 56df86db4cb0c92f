import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database';
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
  tags: string[];
  /** Pending until then, when it opens again (or sooner, when the customer writes). */
  snoozedUntil: string | null;
  /** Set on a duplicate merged into that conversation (it is closed). */
  mergedIntoId: string | null;
  /** The customer's messages after the agents' read mark (all of them while nothing is read). */
  unreadCount: number;
  lastMessage: LastMessage | null;
  /** The oldest customer message no agent has answered yet; null when an agent spoke last. */
  waitingSince: string | null;
  /** The last message the customer has seen (chat read receipts), so a console can show "Seen". */
  customerReadUpto: string | null;
  /** The last message an agent has seen. */
  agentReadUpto: string | null;
};

/** The inbox preview of the latest message. */
export type LastMessage = { body: string; direction: 'inbound' | 'outbound'; authorKind: 'customer' | 'agent' | 'system'; createdAt: string };

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
  tags: string[];
  snoozed_until: Date | null;
  merged_into_id: string | null;
  waiting_since: Date | null;
  customer_read_upto: string | null;
  agent_read_upto: string | null;
};

/** What a conversation shows beyond its own row: derived from its messages when read. */
export type ShownRow = ConversationRow & {
  unread_count: number;
  last_body: string | null;
  last_direction: LastMessage['direction'] | null;
  last_author_kind: LastMessage['authorKind'] | null;
  last_created_at: Date | null;
};

/**
 * Conversations from `source` (the table, or a page of it selected first, so the per-row
 * lookups below run for that page only) with their customer's name, unread count and latest message.
 */
export const selectShown = (source = 'conversations') => `
  SELECT cv.*, cu.name AS customer_name,
         (SELECT count(*) FROM messages m
           WHERE m.conversation_id = cv.id AND m.direction = 'inbound'
             AND m.seq > COALESCE((SELECT r.seq FROM messages r WHERE r.id = cv.agent_read_upto), 0)) AS unread_count,
         lm.body AS last_body, lm.direction AS last_direction, lm.author_kind AS last_author_kind, lm.created_at AS last_created_at
    FROM ${source} cv
    JOIN customers cu ON cu.id = cv.customer_id
    LEFT JOIN LATERAL (
      SELECT left(m.body, 200) AS body, m.direction, m.author_kind, m.created_at FROM messages m
       WHERE m.conversation_id = cv.id ORDER BY m.seq DESC LIMIT 1
    ) lm ON true`;

const SELECT_CONVERSATION = selectShown();

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export const toConversation = (row: ShownRow): Conversation => ({
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
  tags: row.tags,
  snoozedUntil: iso(row.snoozed_until),
  mergedIntoId: row.merged_into_id,
  unreadCount: row.unread_count,
  lastMessage:
    row.last_body !== null && row.last_direction && row.last_author_kind && row.last_created_at
      ? { body: row.last_body, direction: row.last_direction, authorKind: row.last_author_kind, createdAt: row.last_created_at.toISOString() }
      : null,
  waitingSince: iso(row.waiting_since),
  customerReadUpto: row.customer_read_upto,
  agentReadUpto: row.agent_read_upto,
});

export async function getConversation(db: Queryable, conversationId: string): Promise<Conversation> {
  const [row] = await db.query<ShownRow>(`${SELECT_CONVERSATION} WHERE cv.id = $1`, [conversationId]);
  if (!row) throw new HubError('conversation_not_found', `No conversation ${conversationId}`);
  return toConversation(row);
}

/** The customer's conversation on this channel that is still going (open or pending), if any. */
export async function findActiveConversation(
  tx: Queryable,
  customerId: string,
  channel: Channel,
): Promise<Conversation | undefined> {
  const [row] = await tx.query<ShownRow>(
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
    // Opened by the customer's first message, which waits for an answer from then on.
    `INSERT INTO conversations (id, customer_id, channel, subject, reply_token, continue_by_email, last_message_at, created_at, updated_at, waiting_since)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7, $7) RETURNING id`,
    // Lower-case hex: mail servers may change the case of an address's local part.
    [newId('cnv'), opening.customerId, opening.channel, opening.subject, randomBytes(8).toString('hex'), wish !== undefined, opening.at],
  );
  return getConversation(tx, row!.id);
}

/**
 * Records a new message in the conversation: it moves up the inbox, a customer message reopens
 * it (ending a snooze) and starts the wait for an answer, and an agent's message ends that wait;
 * the agent's first message is its first response (a system message is none of these).
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
            first_response_at = CASE WHEN $3 = 'agent' THEN COALESCE(first_response_at, $2) ELSE first_response_at END,
            snoozed_until = CASE WHEN $3 = 'customer' THEN NULL ELSE snoozed_until END,
            waiting_since = CASE $3 WHEN 'customer' THEN COALESCE(waiting_since, $2) WHEN 'agent' THEN NULL ELSE waiting_since END
      WHERE id = $1`,
    [conversationId, change.at, change.by],
  );
  return getConversation(tx, conversationId);
}

/** Sets waitingSince again from the messages themselves (after messages moved in from elsewhere). */
export async function recomputeWaitingSince(tx: Queryable, conversationId: string): Promise<void> {
  await tx.query(
    `UPDATE conversations cv
        SET waiting_since = (
          SELECT min(m.created_at) FROM messages m
           WHERE m.conversation_id = cv.id AND m.direction = 'inbound'
             AND m.seq > COALESCE((SELECT max(a.seq) FROM messages a WHERE a.conversation_id = cv.id AND a.author_kind = 'agent'), 0))
      WHERE cv.id = $1`,
    [conversationId],
  );
}
