import type { Queryable } from '../db/database';
import { type Conversation, type ConversationStatus, conversationStatuses, selectShown, type ShownRow, toConversation } from './conversations';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { HubError } from './errors';

export const inboxSorts = ['recent', 'priority'] as const;
export type InboxSort = (typeof inboxSorts)[number];

/** A first-response or resolution deadline this close (or already missed) puts a conversation at risk. */
export const SLA_AT_RISK_MS = 30 * 60 * 1000;

export type ConversationFilter = {
  /** Any of these statuses. */
  statuses?: ConversationStatus[];
  /** An agent id, or null for conversations no one is assigned to. */
  assigneeId?: string | null;
  /** Only snoozed ones (true) or only the others (false); both when omitted. */
  snoozed?: boolean;
  /** One team, or every team this agent belongs to. */
  team?: { id: string } | { memberId: string };
  /** An intent name, or null for conversations whose intent is unknown. */
  intent?: string | null;
  slaAtRisk?: boolean;
  tag?: string;
  /** One customer's conversations. */
  customerId?: string;
};

const RANK_OF: Record<Conversation['priority'], number> = { urgent: 0, high: 1, normal: 2, low: 3 };
// Both expressions are those of conversations_priority_idx, so the priority sort can walk it.
const PRIORITY_RANK = "(CASE cv.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)";
const WAITING_KEY = "COALESCE(cv.waiting_since, 'infinity'::timestamptz)";
const ACTIVE = "cv.status IN ('open', 'pending')";
const UNREAD = `EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = cv.id AND m.direction = 'inbound'
  AND m.seq > COALESCE((SELECT r.seq FROM messages r WHERE r.id = cv.agent_read_upto), 0))`;
const slaAtRisk = (horizon: string) =>
  `(${ACTIVE} AND ((cv.first_response_at IS NULL AND cv.first_response_due_at < ${horizon})
     OR (cv.resolved_at IS NULL AND cv.resolution_due_at < ${horizon})))`;

const ORDER: Record<InboxSort, string> = {
  recent: 'cv.last_message_at DESC, cv.id DESC',
  priority: `${PRIORITY_RANK}, ${WAITING_KEY}, cv.id`,
};

/** Where a page starts: after the cursor's key, in the sort's order. */
function afterCursor(sort: InboxSort, cursor: string, param: (value: unknown) => string): string {
  if (sort === 'recent') {
    const [lastMessageAt, id] = decodeCursor(cursor, ['timestamp', 'string']);
    return `(cv.last_message_at, cv.id) < (${param(lastMessageAt)}::timestamptz, ${param(id)})`;
  }
  const [rank, waiting, id] = decodeCursor(cursor, ['position', 'string', 'string']);
  const validWaiting = waiting === 'infinity' || (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(waiting as string) && !Number.isNaN(Date.parse(waiting as string)));
  if (!validWaiting || (rank as number) > 3) throw new HubError('invalid_cursor', 'The cursor is not one this server issued');
  return `(${PRIORITY_RANK}, ${WAITING_KEY}, cv.id) > (${param(rank)}::int, ${param(waiting)}::timestamptz, ${param(id)})`;
}

const cursorOf = (sort: InboxSort, last: Conversation) =>
  encodeCursor(sort === 'recent' ? [last.lastMessageAt, last.id] : [RANK_OF[last.priority], last.waitingSince ?? 'infinity', last.id]);

/**
 * The inbox, a page at a time: most recently active first (`recent`), or by `priority` (urgent
 * first, then the customer waiting longest, then id). Cursors carry the sort key of the last row.
 */
export async function listConversations(
  db: Queryable,
  filter: ConversationFilter,
  page: { cursor?: string; limit: number; sort?: InboxSort },
  now = new Date(),
): Promise<Page<Conversation>> {
  const sort = page.sort ?? 'recent';
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const conditions: string[] = [];
  if (filter.statuses?.length) conditions.push(`cv.status = ANY(${param(filter.statuses)}::text[])`);
  if (filter.assigneeId === null) conditions.push('cv.assignee_id IS NULL');
  else if (filter.assigneeId !== undefined) conditions.push(`cv.assignee_id = ${param(filter.assigneeId)}`);
  if (filter.snoozed !== undefined) conditions.push(`cv.snoozed_until IS ${filter.snoozed ? 'NOT NULL' : 'NULL'}`);
  if (filter.team && 'id' in filter.team) conditions.push(`cv.team_id = ${param(filter.team.id)}`);
  if (filter.team && 'memberId' in filter.team) {
    conditions.push(`cv.team_id IN (SELECT team_id FROM team_members WHERE agent_id = ${param(filter.team.memberId)})`);
  }
  if (filter.intent === null) conditions.push('cv.intent IS NULL');
  else if (filter.intent !== undefined) conditions.push(`cv.intent = ${param(filter.intent)}`);
  if (filter.slaAtRisk) conditions.push(slaAtRisk(`${param(new Date(now.getTime() + SLA_AT_RISK_MS))}::timestamptz`));
  if (filter.tag !== undefined) conditions.push(`cv.tags @> ARRAY[${param(filter.tag)}]::text[]`);
  if (filter.customerId !== undefined) conditions.push(`cv.customer_id = ${param(filter.customerId)}`);
  if (page.cursor) conditions.push(afterCursor(sort, page.cursor, param));
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  // The page is chosen first, so the unread counts and previews are looked up for its rows only.
  const pageRows = `(SELECT * FROM conversations cv ${where} ORDER BY ${ORDER[sort]} LIMIT ${param(page.limit + 1)})`;
  const rows = await db.query<ShownRow>(`${selectShown(pageRows)} ORDER BY ${ORDER[sort]}`, params);
  const items = rows.slice(0, page.limit).map(toConversation);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? cursorOf(sort, last) : null };
}

/** How many conversations each inbox view holds, for the console's sidebar. */
export type ConversationViewCounts = {
  mine: number;
  unassigned: number;
  myTeams: number;
  all: number;
  slaAtRisk: number;
  snoozed: number;
  byStatus: Record<ConversationStatus, number>;
  /** Conversations with customer messages no agent has read. */
  unread: number;
};

/**
 * The view counts as `agentId` sees them: over open and pending conversations that are not
 * snoozed, except `snoozed` itself and `byStatus` (every conversation by its status).
 */
export async function countConversationViews(db: Queryable, agentId: string, now = new Date()): Promise<ConversationViewCounts> {
  const [active] = await db.query<Omit<ConversationViewCounts, 'byStatus'>>(
    `SELECT count(*) FILTER (WHERE cv.snoozed_until IS NULL AND cv.assignee_id = $1) AS mine,
            count(*) FILTER (WHERE cv.snoozed_until IS NULL AND cv.assignee_id IS NULL) AS unassigned,
            count(*) FILTER (WHERE cv.snoozed_until IS NULL AND cv.team_id IN (SELECT team_id FROM team_members WHERE agent_id = $1)) AS "myTeams",
            count(*) FILTER (WHERE cv.snoozed_until IS NULL) AS "all",
            count(*) FILTER (WHERE cv.snoozed_until IS NULL AND ${slaAtRisk('$2::timestamptz')}) AS "slaAtRisk",
            count(*) FILTER (WHERE cv.snoozed_until IS NOT NULL) AS snoozed,
            count(*) FILTER (WHERE cv.snoozed_until IS NULL AND ${UNREAD}) AS unread
       FROM conversations cv WHERE ${ACTIVE}`,
    [agentId, new Date(now.getTime() + SLA_AT_RISK_MS)],
  );
  const statuses = await db.query<{ status: ConversationStatus; count: number }>('SELECT status, count(*) AS count FROM conversations GROUP BY status');
  const byStatus = Object.fromEntries(conversationStatuses.map((status) => [status, statuses.find((row) => row.status === status)?.count ?? 0]));
  return { ...active!, byStatus: byStatus as Record<ConversationStatus, number> };
}
