import type { Queryable } from '../db/database';
import type { DomainContext, HubEvent } from './context';
import { getConversation } from './conversations';
import { type Customer, type CustomerRow, getCustomer, getCustomerRow } from './customers';
import { HubError } from './errors';
import { newId } from './ids';
import { recomputeOrderMetrics } from './orders';
import { appendTimelineEvent } from './timeline';

export type CustomerMerge = {
  id: string;
  sourceId: string;
  targetId: string;
  agentId: string | null;
  /** What the merged customer was: name, attributes, tags and identities, as they were. */
  source: Record<string, unknown>;
  /** How many rows of each kind moved to the survivor. */
  moved: Record<string, number>;
  createdAt: string;
};

type MergeRow = {
  id: string;
  source_id: string;
  target_id: string;
  agent_id: string | null;
  source_snapshot: Record<string, unknown>;
  moved: Record<string, number>;
  created_at: Date;
};

const toMerge = (row: MergeRow): CustomerMerge => ({
  id: row.id,
  sourceId: row.source_id,
  targetId: row.target_id,
  agentId: row.agent_id,
  source: row.source_snapshot,
  moved: row.moved,
  createdAt: row.created_at.toISOString(),
});

// Every table whose rows belong to a customer; all of them follow the customer into the survivor.
const OWNED_TABLES = ['customer_identities', 'conversations', 'messages', 'timeline_events', 'notes', 'orders', 'form_submissions'] as const;

/** At most this many moved conversations are announced to the consoles; the rest show on reload. */
const ANNOUNCED_CONVERSATIONS = 200;

/**
 * Joins `sourceId` into `targetId` in one transaction: identities, conversations, messages,
 * orders, notes, form submissions and the timeline move to the survivor, the source stays as a
 * pointer to it, and the merge is recorded on the survivor's timeline.
 */
export async function mergeCustomers(
  ctx: DomainContext,
  merge: { targetId: string; sourceId: string; agentId: string | null; reason?: string },
): Promise<{ customer: Customer; merge: CustomerMerge }> {
  if (merge.targetId === merge.sourceId) throw new HubError('merge_conflict', 'A customer cannot be merged into itself');
  const events: HubEvent[] = [];
  const result = await ctx.db.transaction(async (tx) => {
    const { target, source } = await lockPair(tx, merge.targetId, merge.sourceId);
    if (target.currency && source.currency && target.currency !== source.currency) {
      throw new HubError('currency_mismatch', `${target.id} has orders in ${target.currency} and ${source.id} in ${source.currency}`);
    }
    const snapshot = await snapshotOf(tx, source);
    const moved: Record<string, number> = {};
    let movedConversationIds: string[] = [];
    for (const table of OWNED_TABLES) {
      const rows = await tx.query<{ id: string }>(`UPDATE ${table} SET customer_id = $1 WHERE customer_id = $2 RETURNING id`, [target.id, source.id]);
      moved[table] = rows.length;
      if (table === 'conversations') movedConversationIds = rows.map((row) => row.id);
    }
    await tx.query(
      `UPDATE customers
          SET name = coalesce(name, $2),
              attributes = $3::jsonb || attributes,
              tags = ARRAY(SELECT DISTINCT unnest(tags || $4::text[])),
              updated_at = now()
        WHERE id = $1`,
      [target.id, source.name, JSON.stringify(source.attributes), source.tags],
    );
    await recomputeOrderMetrics(tx, target.id);
    // The source keeps no personal data of its own, only where it went; earlier pointers follow.
    await tx.query(
      `UPDATE customers SET merged_into_id = $1, name = NULL, attributes = '{}', tags = '{}', order_count = 0, lifetime_value = 0,
              currency = NULL, first_order_at = NULL, last_order_at = NULL, rfm_recency = NULL, rfm_frequency = NULL,
              rfm_monetary = NULL, rfm_segment = NULL, rfm_computed_at = NULL, updated_at = now()
        WHERE id = $2 OR merged_into_id = $2`,
      [target.id, source.id],
    );
    const [row] = await tx.query<MergeRow>(
      `INSERT INTO customer_merges (id, source_id, target_id, agent_id, source_snapshot, moved)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [newId('mrg'), source.id, target.id, merge.agentId, JSON.stringify(snapshot), JSON.stringify(moved)],
    );
    const recorded = toMerge(row!);
    await appendTimelineEvent(tx, {
      customerId: target.id,
      at: ctx.now(),
      kind: 'customer.merged',
      reference: recorded.id,
      data: { mergeId: recorded.id, sourceId: source.id, sourceName: source.name, agentId: merge.agentId, reason: merge.reason ?? null, moved },
    });
    events.push({ type: 'customer:merged', mergeId: recorded.id, sourceId: source.id, targetId: target.id });
    for (const conversationId of movedConversationIds.slice(0, ANNOUNCED_CONVERSATIONS)) {
      events.push({ type: 'conversation:updated', conversation: await getConversation(tx, conversationId) });
    }
    return { customer: await getCustomer(tx, target.id), merge: recorded };
  });
  ctx.publish(events);
  if (result.customer.orders.count > 0) await ctx.queues.recomputeRfm();
  return result;
}

/** Both customers, locked in id order so two merges of the same pair cannot deadlock. */
async function lockPair(tx: Queryable, targetId: string, sourceId: string): Promise<{ target: CustomerRow; source: CustomerRow }> {
  const [first, second] = [targetId, sourceId].sort();
  const locked = [await getCustomerRow(tx, first!, { forUpdate: true }), await getCustomerRow(tx, second!, { forUpdate: true })];
  const target = locked.find((row) => row.id === targetId)!;
  const source = locked.find((row) => row.id === sourceId)!;
  for (const row of locked) {
    if (row.erased_at) throw new HubError('customer_erased', `Customer ${row.id} was erased; it cannot take part in a merge`);
  }
  return { target, source };
}

async function snapshotOf(tx: Queryable, source: CustomerRow): Promise<Record<string, unknown>> {
  const identities = await tx.query<{ kind: string; value: string }>(
    "SELECT kind, value FROM customer_identities WHERE customer_id = $1 AND kind <> 'visitor' ORDER BY created_at, id",
    [source.id],
  );
  return {
    name: source.name,
    attributes: source.attributes,
    tags: source.tags,
    identities,
    createdAt: source.created_at.toISOString(),
  };
}

/** The merges into a customer, newest first. */
export async function listMergesInto(db: Queryable, customerId: string): Promise<CustomerMerge[]> {
  const rows = await db.query<MergeRow>('SELECT * FROM customer_merges WHERE target_id = $1 ORDER BY created_at DESC, id DESC', [customerId]);
  return rows.map(toMerge);
}

export async function getMerge(db: Queryable, mergeId: string): Promise<CustomerMerge> {
  const [row] = await db.query<MergeRow>('SELECT * FROM customer_merges WHERE id = $1', [mergeId]);
  if (!row) throw new HubError('not_found', `No customer merge ${mergeId}`);
  return toMerge(row);
}
