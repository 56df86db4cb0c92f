import type { Queryable } from '../db/database';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { newId } from './ids';

export type TimelineEvent = {
  id: string;
  customerId: string;
  at: string;
  kind: string;
  reference: string | null;
  data: Record<string, unknown>;
};

type TimelineRow = {
  id: string;
  customer_id: string;
  at: Date;
  kind: string;
  reference: string | null;
  data: Record<string, unknown>;
};

const toEvent = (row: TimelineRow): TimelineEvent => ({
  id: row.id,
  customerId: row.customer_id,
  at: row.at.toISOString(),
  kind: row.kind,
  reference: row.reference,
  data: row.data,
});

/** Appends to the customer's timeline; the timeline is never updated in place. */
export async function appendTimelineEvent(
  tx: Queryable,
  event: { customerId: string; at: Date; kind: string; reference: string | null; data: Record<string, unknown> },
): Promise<void> {
  await tx.query('INSERT INTO timeline_events (id, customer_id, at, kind, reference, data) VALUES ($1, $2, $3, $4, $5, $6)', [
    newId('evt'),
    event.customerId,
    event.at,
    event.kind,
    event.reference,
    JSON.stringify(event.data),
  ]);
}

/** The customer's timeline, newest first. */
export async function listTimeline(
  db: Queryable,
  customerId: string,
  page: { cursor?: string; limit: number },
): Promise<Page<TimelineEvent>> {
  const params: unknown[] = [customerId];
  let before = '';
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, ['timestamp', 'string']);
    params.push(at, id);
    before = 'AND (at, id) < ($2::timestamptz, $3)';
  }
  params.push(page.limit + 1);
  const rows = await db.query<TimelineRow>(
    `SELECT * FROM timeline_events WHERE customer_id = $1 ${before} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, page.limit).map(toEvent);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor([last.at, last.id]) : null };
}
