import { z } from 'zod';
import type { Queryable } from '../db/database';
import { decodeCursor, type Page, pageOf } from './cursor';

/**
 * A campaign's figures. `recipients` are those it is mailed to (skipped ones apart);
 * `sent` counts every message the mail server accepted, bounced ones included, so
 * recipients = sent + failed + pending.
 */
export type CampaignStats = {
  recipients: number;
  sent: number;
  failed: number;
  bounced: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  pending: number;
  skipped: number;
};

export const recipientStatuses = ['queued', 'sending', 'sent', 'failed', 'bounced', 'skipped'] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

export type CampaignRecipient = {
  id: string;
  customerId: string;
  email: string | null;
  status: RecipientStatus;
  skipReason: string | null;
  messageId: string | null;
  attempts: number;
  error: string | null;
  sentAt: string | null;
};

type StatsRow = { [K in keyof CampaignStats]: string };

/** The figures as they are now: one pass over the campaign's recipients and one over its events. */
export async function campaignStats(db: Queryable, campaignId: string): Promise<CampaignStats> {
  const [row] = await db.query<StatsRow>(
    `SELECT r.*, e.* FROM
       (SELECT count(*) FILTER (WHERE status <> 'skipped') AS recipients,
               count(*) FILTER (WHERE status IN ('sent', 'bounced')) AS sent,
               count(*) FILTER (WHERE status = 'failed') AS failed,
               count(*) FILTER (WHERE status = 'bounced') AS bounced,
               count(*) FILTER (WHERE status IN ('queued', 'sending')) AS pending,
               count(*) FILTER (WHERE status = 'skipped') AS skipped
          FROM campaign_recipients WHERE campaign_id = $1) r,
       (SELECT count(*) FILTER (WHERE kind = 'opened') AS opened,
               count(DISTINCT recipient_id) FILTER (WHERE kind = 'clicked') AS clicked,
               count(*) FILTER (WHERE kind = 'unsubscribed') AS unsubscribed
          FROM campaign_events WHERE campaign_id = $1) e`,
    [campaignId],
  );
  return Object.fromEntries(Object.entries(row!).map(([key, value]) => [key, Number(value)])) as CampaignStats;
}

export const recipientListQuery = z.object({
  status: z.enum(recipientStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).max(500).optional(),
});

type RecipientRow = {
  id: string;
  customer_id: string;
  email: string | null;
  status: RecipientStatus;
  skip_reason: string | null;
  message_id: string | null;
  attempts: number;
  error: string | null;
  sent_at: Date | null;
};

/** The campaign's recipients in the order they were planned, a page at a time. */
export async function listRecipients(
  db: Queryable,
  campaignId: string,
  query: z.infer<typeof recipientListQuery>,
): Promise<Page<CampaignRecipient>> {
  const params: unknown[] = [campaignId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ['campaign_id = $1'];
  if (query.status) where.push(`status = ${param(query.status)}`);
  if (query.cursor) where.push(`id > ${param(decodeCursor(query.cursor, ['position'])[0])}`);
  const rows = await db.query<RecipientRow>(
    `SELECT id::text, customer_id, email, status, skip_reason, message_id, attempts, error, sent_at
       FROM campaign_recipients WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${param(query.limit + 1)}`,
    params,
  );
  const items = rows.map((row) => ({
    id: row.id,
    customerId: row.customer_id,
    email: row.email,
    status: row.status,
    skipReason: row.skip_reason,
    messageId: row.message_id,
    attempts: row.attempts,
    error: row.error,
    sentAt: row.sent_at?.toISOString() ?? null,
  }));
  return pageOf(items, query.limit, (recipient) => [Number(recipient.id)]);
}
