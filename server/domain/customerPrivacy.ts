import type { Queryable } from '../db/database';
import type { DomainContext } from './context';
import { getCustomer, getCustomerRow } from './customers';
import { newId } from './ids';
import { appendTimelineEvent } from './timeline';

export type Erasure = {
  id: string;
  customerId: string;
  agentId: string | null;
  reason: string | null;
  /** How many rows of each kind were erased or anonymised. */
  erased: Record<string, number>;
  createdAt: string;
};

type ErasureRow = { id: string; customer_id: string; agent_id: string | null; reason: string | null; erased: Record<string, number>; created_at: Date };

const toErasure = (row: ErasureRow): Erasure => ({
  id: row.id,
  customerId: row.customer_id,
  agentId: row.agent_id,
  reason: row.reason,
  erased: row.erased,
  createdAt: row.created_at.toISOString(),
});

const ERASED_TEXT = '[erased]';

// What erasure does to each table, in order. Orders stay (bookkeeping law outlives the request)
// but no longer point to a person; the timeline keeps only what happened and when.
const ERASE_STEPS: [name: string, sql: string][] = [
  ['identities', 'DELETE FROM customer_identities WHERE customer_id = $1'],
  ['attachments', 'DELETE FROM attachments WHERE message_id IN (SELECT id FROM messages WHERE customer_id = $1) OR form_submission_id IN (SELECT id FROM form_submissions WHERE customer_id = $1) OR uploaded_by_customer_id = $1'],
  ['messages', `UPDATE messages SET body = '${ERASED_TEXT}', subject = NULL, text_full = NULL, html = NULL, email_message_id = NULL, delivery_error = NULL WHERE customer_id = $1`],
  ['conversations', 'UPDATE conversations SET subject = NULL WHERE customer_id = $1'],
  ['notes', `UPDATE notes SET body = '${ERASED_TEXT}' WHERE customer_id = $1`],
  ['csatComments', 'UPDATE csat_ratings SET comment = NULL WHERE comment IS NOT NULL AND (customer_id = $1 OR conversation_id IN (SELECT id FROM conversations WHERE customer_id = $1))'],
  ['formSubmissions', "UPDATE form_submissions SET fields = '{}', origin = NULL, ip = NULL, user_agent = NULL WHERE customer_id = $1"],
  ['timelineEvents', `UPDATE timeline_events SET data = '{"erased": true}' WHERE customer_id = $1 AND kind NOT LIKE 'order.%'`],
  ['mergeRecords', `UPDATE customer_merges SET source_snapshot = '{"erased": true}' WHERE target_id = $1`],
  // The address a campaign went to; a suppression stays, so an opt-out is still honoured.
  ['campaignRecipients', 'UPDATE campaign_recipients SET email = NULL WHERE customer_id = $1 AND email IS NOT NULL'],
];

/**
 * A data-subject erasure request: personal fields and message bodies are removed or anonymised
 * in one transaction, and an audit record says who did it, when and how much was erased. Asking
 * again answers with the first record.
 */
export async function eraseCustomer(ctx: DomainContext, request: { customerId: string; agentId: string | null; reason?: string }): Promise<Erasure> {
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const customer = await getCustomerRow(tx, request.customerId, { forUpdate: true });
    if (customer.erased_at) {
      const [earlier] = await tx.query<ErasureRow>('SELECT * FROM customer_erasures WHERE customer_id = $1 ORDER BY created_at LIMIT 1', [customer.id]);
      return toErasure(earlier!);
    }
    const erased: Record<string, number> = {};
    for (const [name, sql] of ERASE_STEPS) erased[name] = (await tx.query(`${sql} RETURNING 1`, [customer.id])).length;
    await tx.query("UPDATE customers SET name = NULL, attributes = '{}', tags = '{}', erased_at = $2, updated_at = $2 WHERE id = $1", [customer.id, at]);
    const [row] = await tx.query<ErasureRow>(
      'INSERT INTO customer_erasures (id, customer_id, agent_id, reason, erased, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
      [newId('era'), customer.id, request.agentId, request.reason ?? null, JSON.stringify(erased), at],
    );
    const erasure = toErasure(row!);
    await appendTimelineEvent(tx, { customerId: customer.id, at, kind: 'customer.erased', reference: erasure.id, data: { erasureId: erasure.id } });
    return erasure;
  });
}

/** Everything held about a customer, as one JSON document (a data-subject access request). */
export async function exportCustomer(db: Queryable, customerId: string): Promise<Record<string, unknown>> {
  const customer = await getCustomer(db, customerId);
  const all = (sql: string) => db.query(sql, [customerId]);
  const [identities, conversations, messages, attachments, notes, orders, formSubmissions, timeline, merges, erasures] = await Promise.all([
    all('SELECT kind, value, created_at AS "createdAt" FROM customer_identities WHERE customer_id = $1 ORDER BY created_at, id'),
    all(`SELECT id, channel, status, subject, created_at AS "createdAt", resolved_at AS "resolvedAt"
           FROM conversations WHERE customer_id = $1 ORDER BY created_at, id`),
    all(`SELECT id, conversation_id AS "conversationId", channel, direction, author_kind AS "authorKind", body, subject,
                text_full AS "fullText", created_at AS "createdAt"
           FROM messages WHERE customer_id = $1 ORDER BY seq`),
    all(`SELECT a.id, a.message_id AS "messageId", a.form_submission_id AS "formSubmissionId", a.filename,
                a.content_type AS "contentType", a.size_bytes AS "size", a.sha256
           FROM attachments a
          WHERE a.message_id IN (SELECT id FROM messages WHERE customer_id = $1)
             OR a.form_submission_id IN (SELECT id FROM form_submissions WHERE customer_id = $1)
          ORDER BY a.id`),
    all('SELECT id, conversation_id AS "conversationId", body, created_at AS "createdAt" FROM notes WHERE customer_id = $1 ORDER BY created_at, id'),
    all(`SELECT id, source, number, status, currency, total::text AS total, items, placed_at AS "placedAt"
           FROM orders WHERE customer_id = $1 ORDER BY placed_at, id`),
    all(`SELECT id, form_id AS "formId", conversation_id AS "conversationId", fields, created_at AS "createdAt"
           FROM form_submissions WHERE customer_id = $1 ORDER BY created_at, id`),
    all('SELECT id, at, kind, reference, data FROM timeline_events WHERE customer_id = $1 ORDER BY at, id'),
    all('SELECT id, source_id AS "sourceId", source_snapshot AS "source", created_at AS "createdAt" FROM customer_merges WHERE target_id = $1 ORDER BY created_at'),
    all('SELECT id, reason, erased, created_at AS "createdAt" FROM customer_erasures WHERE customer_id = $1 ORDER BY created_at'),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    customer,
    identities,
    conversations,
    messages,
    attachments,
    notes,
    orders,
    formSubmissions,
    timeline,
    merges,
    erasures,
  };
}
