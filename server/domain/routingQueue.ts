import type { Queryable } from '../db/database';
import type { HubEvent } from './context';

/** A conversation waiting in its team's queue: no agent yet, still going, queued. */
export const WAITING = `assignee_id IS NULL AND queued_at IS NOT NULL AND status IN ('open', 'pending')`;

/** The queue is served most pressing first, then oldest first. */
export const QUEUE_ORDER = `CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, queued_at, id`;

/** How many waiting customers are told their new place after a change: the ones near the front. */
export const POSITIONS_TOLD = 100;

/** Where the conversation stands in its team's queue (1 = next), or null when it is not waiting. */
export async function queuePosition(db: Queryable, conversationId: string): Promise<number | null> {
  const [row] = await db.query<{ position: number }>(
    `SELECT position FROM (
       SELECT id, row_number() OVER (ORDER BY ${QUEUE_ORDER})::int AS position FROM conversations
        WHERE team_id = (SELECT team_id FROM conversations WHERE id = $1) AND ${WAITING}
     ) queue WHERE id = $1`,
    [conversationId],
  );
  return row?.position ?? null;
}

/** The places of the first customers waiting in the team's queue, to tell their widgets. */
export async function queuePositionEvents(db: Queryable, teamId: string): Promise<HubEvent[]> {
  const rows = await db.query<{ id: string; customer_id: string; position: number }>(
    `SELECT id, customer_id, row_number() OVER (ORDER BY ${QUEUE_ORDER})::int AS position
       FROM conversations WHERE team_id = $1 AND ${WAITING}
      ORDER BY position LIMIT $2`,
    [teamId, POSITIONS_TOLD],
  );
  return rows.map((row) => ({ type: 'queue:position', customerId: row.customer_id, conversationId: row.id, position: row.position }));
}
