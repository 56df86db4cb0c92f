import type { Queryable } from '../db/database';
import { decodeCursor, type Page, pageOf } from './cursor';
import { HubError } from './errors';
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

/** Every kind of event a timeline holds; a filter may name a kind or its family ("message", "order"). */
export const timelineKinds = [
  'conversation.opened',
  'conversation.assigned',
  'conversation.resolved',
  'conversation.reopened',
  'conversation.intent_corrected',
  'conversation.merged',
  'sla.warning',
  'sla.breached',
  'message.received',
  'message.sent',
  'message.delivery_failed',
  'note.added',
  'form.submitted',
  'order.placed',
  'order.updated',
  'campaign.sent',
  'campaign.opened',
  'campaign.clicked',
  'campaign.unsubscribed',
  'campaign.bounced',
  'customer.merged',
  'customer.erased',
] as const;
const timelineFamilies = [...new Set(timelineKinds.map((kind) => kind.split('.')[0]!))];

export type TimelineFilter = {
  /** Kinds or families; events of any of them. */
  kinds?: string[];
  from?: Date;
  to?: Date;
  order?: 'newest' | 'oldest';
};

/** The customer's timeline, newest first unless asked otherwise, a page at a time. */
export async function listTimeline(
  db: Queryable,
  customerId: string,
  page: { cursor?: string; limit: number },
  filter: TimelineFilter = {},
): Promise<Page<TimelineEvent>> {
  const params: unknown[] = [customerId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ['customer_id = $1'];
  if (filter.kinds?.length) {
    const unknown = filter.kinds.filter((kind) => !(timelineKinds as readonly string[]).includes(kind) && !timelineFamilies.includes(kind));
    if (unknown.length > 0) {
      throw new HubError('validation_failed', `Unknown timeline kind ${unknown.join(', ')}; use one of ${[...timelineFamilies, ...timelineKinds].join(', ')}`);
    }
    where.push(`(kind = ANY(${param(filter.kinds)}) OR split_part(kind, '.', 1) = ANY(${param(filter.kinds)}))`);
  }
  if (filter.from) where.push(`at >= ${param(filter.from)}`);
  if (filter.to) where.push(`at < ${param(filter.to)}`);
  const oldestFirst = filter.order === 'oldest';
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, ['timestamp', 'string']);
    where.push(`(at, id) ${oldestFirst ? '>' : '<'} (${param(at)}::timestamptz, ${param(id)})`);
  }
  const direction = oldestFirst ? 'ASC' : 'DESC';
  const rows = await db.query<TimelineRow>(
    `SELECT * FROM timeline_events WHERE ${where.join(' AND ')} ORDER BY at ${direction}, id ${direction} LIMIT ${param(page.limit + 1)}`,
    params,
  );
  return pageOf(rows.map(toEvent), page.limit, (event) => [event.at, event.id]);
}
